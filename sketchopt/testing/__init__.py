"""Helpers for other projects' tests.

``sketchopt.testing.strategies`` holds hypothesis strategies (import it only where hypothesis
is installed); the KKT-based assertion helpers of ``sketchopt.testing.assertions``
(``assert_lasso_optimal`` and friends) are also reachable from this package.
"""


def __getattr__(name):
    # lazy, so importing the strategies does not pull in the oracles and vice versa
    if name.startswith("assert_"):
        from . import assertions
        return getattr(assertions, name)
    raise AttributeError(name)
