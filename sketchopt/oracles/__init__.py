"""Certified reference solutions and closed forms (stable public API).

Every solver returns an :class:`OracleResult` whose certificate is recomputed from the
returned ``x`` alone by the formulas of :mod:`sketchopt.oracles.duality`.

**The certificate rule.** ``gap(x) <= tol * P(0)``, where ``P(0)`` is the objective at zero
(``||y||^2/(2n)`` for least squares, ``||Y||_F^2/(2n)`` multi-task, ``log 2`` for logistic),
an upper bound on the optimum that scales with the data; and the point's own KKT violation off
its support is within what that gap allows. ``tol = 1e-10`` (the default) asks for ten
significant digits of the objective on that scale, at any scale of the data: the solvers work
on the data divided by powers of two. ``tol`` below :data:`TOL_MIN` (4 machine epsilons) is
refused. A solver that cannot certify raises :class:`OracleConvergenceError` about its last
point; inputs whose answer float64 cannot represent raise ``ValueError``.
"""

from ._result import OracleConvergenceError, OracleResult
from .closed_forms import (group_soft_threshold, lasso_orthogonal, quadratic_minimizer,
                           soft_threshold)
from .duality import (TOL_MIN, Certificate, certificate, group_l1_logistic_gap,
                      group_l1_logistic_objective, group_lasso_gap, group_lasso_objective,
                      kkt_measures, l1_logistic_gap, l1_logistic_objective, lam_max, lasso_gap, lasso_objective,
                      multitask_lasso_gap, multitask_lasso_objective)
from .multitask import multitask_lasso
from .paths import (group_l1_logistic_path, group_lasso_path, l1_logistic_path, lam_grid,
                    lasso_path)
from .sparse import group_l1_logistic, group_lasso, l1_logistic, lasso

try:  # closed forms of the MAST paper live next to its sketches
    from ._mast import mast_quadratic
except ImportError:  # pragma: no cover - only while that module is being written
    pass

__all__ = [
    "Certificate", "OracleConvergenceError", "OracleResult", "TOL_MIN", "certificate",
    "group_l1_logistic", "group_l1_logistic_gap", "group_l1_logistic_path", "group_lasso_path",
    "l1_logistic_path", "lam_grid", "lasso_path",
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
