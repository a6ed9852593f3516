"""Certified reference solutions and closed forms (stable public API).

Every solver returns an :class:`OracleResult` whose ``gap`` is recomputed from the returned
``x`` by the formulas of :mod:`sketchopt.oracles.duality`, certified to
``gap <= tol * max(1, |objective|)`` (default ``tol = 1e-10``), then polished on its support
when the KKT conditions allow (``polished``, ``margin``). A solver that cannot certify its
tolerance raises :class:`OracleConvergenceError` with the gap it reached.
"""

from ._result import OracleConvergenceError, OracleResult
from .closed_forms import (group_soft_threshold, lasso_orthogonal, quadratic_minimizer,
                           soft_threshold)
from .duality import (group_l1_logistic_gap, group_l1_logistic_objective, group_lasso_gap,
                      group_lasso_objective, kkt_measures, l1_logistic_gap,
                      l1_logistic_objective, lam_max, lasso_gap, lasso_objective,
                      multitask_lasso_gap, multitask_lasso_objective)
from .multitask import multitask_lasso
from .sparse import group_l1_logistic, group_lasso, l1_logistic, lasso

try:  # closed forms of the MAST paper live next to its sketches
    from ._mast import mast_quadratic
except ImportError:  # pragma: no cover - only while that module is being written
    pass

__all__ = [
    "OracleConvergenceError", "OracleResult", "group_l1_logistic", "group_l1_logistic_gap",
    "group_l1_logistic_objective", "group_lasso", "group_lasso_gap", "group_lasso_objective",
    "group_soft_threshold", "kkt_measures", "l1_logistic", "l1_logistic_gap",
    "l1_logistic_objective", "lam_max", "lasso", "lasso_gap", "lasso_objective",
    "lasso_orthogonal", "mast_quadratic", "multitask_lasso", "multitask_lasso_gap",
    "multitask_lasso_objective", "quadratic_minimizer", "soft_threshold",
]


def _warmup():
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 6))
    y = np.sign(rng.normal(size=12)) + 0.0
    lasso(X, y, 0.1)
    group_lasso(X, y, 0.1, 2, weights="sqrt")
    l1_logistic(X, y, 0.05)
    group_l1_logistic(X, y, 0.05, 3)
