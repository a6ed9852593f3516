"""The result object every certified oracle returns, and the error it raises instead of lying."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class OracleResult:
    """A certified solution.

    The certificate rule: ``relative_gap = gap / null_objective <= tol``, where
    ``null_objective`` is the objective at ``x = 0`` (``||y||^2/(2n)`` for least squares,
    ``||Y||_F^2/(2n)`` for the multi-task lasso, ``log 2`` for logistic). It means the same at
    every scale of the data; ``tol = 1e-10`` asks for ten significant digits of the objective
    measured against that scale.

    Attributes
    ----------
    x : ndarray
        The solution (a (d, T) matrix for ``multitask_lasso``).
    objective : float
        Primal objective at ``x``.
    gap : float
        Duality gap recomputed from ``x`` by the public formulas of
        :mod:`sketchopt.oracles.duality` (rescaled dual point), clipped at 0; the raw value,
        which rounding can make slightly negative, is ``info["raw_gap"]``.
    null_objective : float
        Objective at ``x = 0``, the scale of the certificate.
    relative_gap : float
        ``gap / null_objective`` (computed on the internally rescaled problem, so finite even
        where ``gap`` alone would under- or overflow).
    support : ndarray of int
        Indices of the non-zero coordinates (rows for ``multitask_lasso``).
    n_iter : int
        Outer iterations (working-set rounds) of the solver.
    margin : float
        Strict-complementarity margin ``min_{g off support} (lam_g - ||grad_g||)``; ``inf``
        when every group is on the support. Negative only if KKT fails off the support.
    polished : bool
        True if ``x`` was re-solved on its support (a well-conditioned restricted system) and
        passed the full KKT test to 1e-12 relative, so its coordinates are exact to machine
        precision.
    tol : float
        The relative tolerance that was certified: ``relative_gap <= tol``.
    kkt_violation : float
        ``max_g dist(-grad_g, lam_g d||x_g||) / max_g lam_g`` at ``x``.
    info : dict
        Solver details (working-set sizes, timings, the unpolished gap, the raw gap, whether
        the certificate was evaluated in extended precision, ...).
    problem : dict
        The problem the certificate refers to (``kind``, ``X``, ``y``, ``lam``, ``groups``,
        ``weights`` and the least-squares options when used), so :func:`sketchopt.testing.assert_certified` can recompute it. ``X`` and
        ``y`` are the validated arrays, not copies.
    intercept : float or ndarray
        The unpenalized intercept ``b`` (one per task for ``multitask_lasso``); 0 when not
        fitted.
    """

    x: np.ndarray
    objective: float
    gap: float
    support: np.ndarray
    n_iter: int
    margin: float
    polished: bool
    tol: float
    kkt_violation: float
    null_objective: float = np.nan
    relative_gap: float = np.nan
    info: dict = field(default_factory=dict, repr=False)
    problem: dict = field(default_factory=dict, repr=False)
    intercept: object = 0.0

    @property
    def certified(self):
        """Whether the relative gap meets the tolerance (always true when returned)."""
        return bool(self.relative_gap <= self.tol)


class OracleConvergenceError(RuntimeError):
    """Raised when an oracle cannot certify its tolerance.

    Everything refers to the returned point ``x`` (the last iterate, in the problem's own shape,
    a (d, T) matrix for the multi-task lasso), recomputed at the end: ``gap``, ``objective``,
    ``relative_gap``, ``tol`` (the relative tolerance asked for), ``n_iter`` and ``reason``
    (``"max_iter"`` when the budget ran out, ``"stalled"`` when the gap stopped decreasing,
    ``"recomputed"`` when a least-squares problem with options met ``tol`` in its reduced form
    but not when recomputed on the original data).
    """

    def __init__(self, name, gap, objective, relative_gap, tol, n_iter, x, reason="max_iter"):
        why = {"max_iter": f"after {n_iter} outer iterations; raise max_iter or loosen tol",
               "stalled": f"and stopped decreasing (stalled after {n_iter} outer iterations); "
                          "this tol is below what this instance allows in float64, loosen it",
               "recomputed": "when recomputed on the original problem after solving its exact "
                             "reduction (rounding in the transformed data); loosen tol",
               }[reason]
        super().__init__(f"{name}: duality gap {gap:.3e} (relative {relative_gap:.3e}) did not "
                         f"reach the relative tolerance {tol:.3e} {why}")
        self.name = name
        self.gap = gap
        self.objective = objective
        self.relative_gap = relative_gap
        self.tol = tol
        self.n_iter = n_iter
        self.x = x
        self.reason = reason
