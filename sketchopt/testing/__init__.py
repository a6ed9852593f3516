"""Helpers for other projects' tests.

``sketchopt.testing.strategies`` holds hypothesis strategies (import it only where hypothesis
is installed); the assertion helpers (KKT-based optimality checks) are re-exported here.
"""

from .assertions import *  # noqa: F401,F403
