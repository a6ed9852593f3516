"""The result object every certified oracle returns, and the error it raises instead of lying."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class OracleResult:
    """A certified solution.

    Attributes
    ----------
    x : ndarray
        The solution (a matrix for ``multitask_lasso``).
    objective : float
        Primal objective at ``x``.
    gap : float
        Duality gap recomputed from ``x`` by the public ``*_gap`` formula (rescaled dual
        point), not the solver's internal estimate.
    support : ndarray of int
        Indices of the non-zero coordinates (rows for ``multitask_lasso``).
    n_iter : int
        Outer iterations (working-set rounds) of the solver.
    margin : float
        Strict-complementarity margin ``min_{g off support} (lam_g - ||grad_g||)``; ``inf``
        when every group is on the support. Negative only if KKT fails off the support.
    polished : bool
        True if ``x`` was re-solved on its support and passed the full KKT test to 1e-12
        relative, so its coordinates are exact to machine precision.
    tol : float
        The relative gap tolerance that was certified: ``gap <= tol * max(1, |objective|)``.
    kkt_violation : float
        ``max_g dist(-grad_g, lam_g d||x_g||) / max_g lam_g`` at ``x``.
    info : dict
        Solver details (working-set sizes, timings, the unpolished gap, ...).
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
    info: dict = field(default_factory=dict, repr=False)

    @property
    def certified(self):
        """Whether the recomputed gap meets the relative tolerance (always true when returned)."""
        return self.gap <= self.tol * max(1.0, abs(self.objective))


class OracleConvergenceError(RuntimeError):
    """Raised when an oracle cannot certify its tolerance within its iteration budget.

    Attributes ``gap``, ``tol``, ``n_iter`` and ``x`` (the last iterate) are kept so a caller
    can inspect how far the solver got.
    """

    def __init__(self, name, gap, tol_abs, n_iter, x):
        super().__init__(f"{name}: duality gap {gap:.3e} did not reach {tol_abs:.3e} "
                         f"after {n_iter} outer iterations; raise max_iter or loosen tol")
        self.gap = gap
        self.tol = tol_abs
        self.n_iter = n_iter
        self.x = x
