"""Theory checks: every claim of the four papers next to its measured value.

Run ``python -m theory_checks --list`` to see the claims, ``--quick`` for the fast suite.
"""

import importlib
import importlib.util

from ._framework import (PAPERS, PROVENANCES, REGISTRY, Claim, Outcome, claim, combine,
                         equal, from_mc, info, lower, predicate, upper)


def load(papers=None):
    """Import the claim modules of ``papers`` (default all that exist); return the claims."""
    papers = PAPERS if papers is None else tuple(papers)
    for p in papers:
        if p not in PAPERS:
            raise ValueError(f"unknown paper {p!r}; choose from {PAPERS}")
        if importlib.util.find_spec(f"theory_checks.{p}") is not None:
            importlib.import_module(f"theory_checks.{p}")
    return [c for c in REGISTRY.values() if c.paper in papers]


__all__ = ["Claim", "Outcome", "claim", "upper", "lower", "equal", "from_mc", "info",
           "predicate", "combine", "load", "REGISTRY", "PAPERS", "PROVENANCES"]
