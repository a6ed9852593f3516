"""Adversarial instance search for the inequality claims (issue 13).

Each module ``search/<paper>.py`` declares, with :func:`space`, the instance space of the
claims of that paper it searches, and lists in ``EXCLUDED`` the inequality claims it leaves
out with the reason. ``python -m theory_checks --search`` runs the searches
(:mod:`theory_checks.search.cli`).
"""

import importlib
import importlib.util

from ._engine import (SPACES, Inadmissible, Measure, Param, Space, Variant, lower, restart_unit,
                      space, upper, vector)
from ._run import FoundStore, result_store, search, search_claim

PAPERS = ("base", "mast", "auxinfo", "spred", "ramda")


def _modules(papers):
    for p in PAPERS if papers is None else papers:
        if importlib.util.find_spec(f"{__name__}.{p}") is not None:
            yield importlib.import_module(f"{__name__}.{p}")


def load_spaces(papers=None):
    """Import the space modules of ``papers`` (default all); returns the registry of spaces."""
    for _ in _modules(papers):
        pass
    return SPACES


def excluded(papers=None):
    """``{claim id: reason}`` for the claims left out of the search, with the reason."""
    out = {}
    for mod in _modules(papers):
        out.update(getattr(mod, "EXCLUDED", {}))
    return out


__all__ = ["SPACES", "Inadmissible", "Measure", "Param", "Space", "Variant", "lower", "upper",
           "vector", "space", "restart_unit", "FoundStore", "result_store", "search",
           "search_claim", "load_spaces", "excluded", "PAPERS"]
