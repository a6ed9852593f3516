"""Certified solvers for (group) lasso, (group) L1 logistic regression and the multi-task lasso.

All share one driver: working sets of groups ranked by their KKT violation, a Numba inner
solver on the working set (block CD with Anderson extrapolation for least squares, proximal
Newton for logistic), stopping on the duality gap of :mod:`.duality` relative to
``max(1, |objective|)``; then the support polish of the claim contract (Newton on the smooth
problem restricted to the identified support, accepted only if the full KKT conditions hold to
1e-12 relative). The reported gap is recomputed from the returned ``x`` alone.
"""

import time

import numpy as np
from scipy.special import expit as _sigmoid

from .._validation import check_scalar
from . import _kernels, duality
from ._result import OracleConvergenceError, OracleResult

_KKT_RTOL = 1e-12
_NEWTON_GTOL = 1e-14   # polish stops once the restricted gradient is this small (relative)
_INNER_FRACTION = 0.1  # a working-set solve cuts the current gap by this factor
_WS_GROWTH = 2.0      # working set = this many times the current support (in groups)
_ANDERSON = 5         # least squares: Anderson extrapolation over this many epochs
_MAX_CD = 50          # logistic: CD passes per proximal Newton step (an inexact step is fine)


class _Problem:
    """Datafit + group penalty, in the form the driver and the polish need."""

    def __init__(self, X, y, grp, thr, datafit):
        self.X, self.y, self.grp, self.thr, self.datafit = X, y, grp, thr, datafit
        self.n = X.shape[0]

    def objective_gap(self, w, with_grad=False):
        """``(objective, gap)``, plus the datafit gradient (computed on the way) if asked."""
        fn = duality._ls_gap if self.datafit == "ls" else duality._logistic_gap
        return fn(self.X, self.y, w, self.grp, self.thr, with_grad)

    def grad(self, w):
        """Gradient of the datafit."""
        z = self.X @ w
        if self.datafit == "ls":
            return self.X.T @ (z - self.y) / self.n
        return -self.X.T @ (self.y * _sigmoid(-self.y * z)) / self.n

    def violation_scores(self, w, grad):
        """Per-group ``dist(-grad_g, thr_g d||w_g||)``."""
        grp, thr = self.grp, self.thr
        nw = grp.norms(w)
        on = nw > 0
        scale = grp.expand(np.where(on, thr / np.where(on, nw, 1.0), 0.0))
        return np.where(on, grp.norms(grad + scale * w),
                        np.maximum(grp.norms(grad) - thr, 0.0)), on


def _lipschitz_ls(X, grp):
    n = X.shape[0]
    if np.all(grp.sizes == 1):
        return np.einsum("ij,ij->j", X, X)[grp.order] / n
    return np.array([np.linalg.norm(X[:, idx], 2) ** 2 / n for idx in grp])


def solve(prob, tol, max_iter, name, verbose=False, p0=10):
    """Working-set driver; returns an :class:`OracleResult` (polished when possible)."""
    X = np.asfortranarray(prob.X)
    y = prob.y
    grp, thr = prob.grp, prob.thr
    n, d = X.shape
    G = grp.n_groups
    w = np.zeros(d)
    lips = _lipschitz_ls(X, grp) if prob.datafit == "ls" else None
    t0 = time.perf_counter()
    ws_size, inner, prev_on = 0, 0, None
    for it in range(1, max_iter + 1):
        objective, gap, grad = prob.objective_gap(w, with_grad=True)
        tol_abs = tol * max(1.0, abs(objective))
        if verbose:
            print(f"{name}: iter {it:3d}  objective {objective:.12e}  gap {gap:.3e}  "
                  f"working set {ws_size}", flush=True)
        if gap <= tol_abs:
            break
        scores, on = prob.violation_scores(w, grad)
        n_on = int(on.sum())
        ws_size = min(G, max(p0, int(_WS_GROWTH * n_on)))
        # once the support stops changing, solve the working set to the final tolerance
        # in one go instead of cutting the gap by a constant factor per round
        tol_in = 0.5 * tol_abs if np.array_equal(on, prev_on) else _INNER_FRACTION * gap
        prev_on = on
        scores[on] = np.inf
        ws = np.sort(np.argpartition(-scores, ws_size - 1)[:ws_size]).astype(np.int64)
        if prob.datafit == "ls":
            r = y - X @ w
            steps, _ = _kernels.ls_ws_solve(X, y, w, r, ws, grp.order, grp.ptr, lips, thr,
                                            tol_in, 10_000, _ANDERSON)
        else:
            z = X @ w
            steps, _ = _kernels.logreg_ws_solve(X, y, w, z, ws, grp.order, grp.ptr, thr,
                                                tol_in, 100, _MAX_CD)
        inner += steps
    else:
        raise OracleConvergenceError(name, gap, tol_abs, max_iter, w)
    info = {"inner_steps": inner, "unpolished_gap": gap, "seconds": time.perf_counter() - t0}
    return _finish(prob, w, tol, it, info)


def _finish(prob, w, tol, n_iter, info):
    """Polish on the support; return the certified result with recomputed gap and margin."""
    candidate = _polish(prob, w)
    polished = False
    if candidate is not None:
        viol, _ = duality.kkt_measures(prob.grad(candidate), candidate, prob.grp, prob.thr)
        same_support = np.array_equal(prob.grp.norms(candidate) > 0, prob.grp.norms(w) > 0)
        obj_c, gap_c = prob.objective_gap(candidate)
        if (same_support and viol <= _KKT_RTOL * prob.thr.max()
                and gap_c <= tol * max(1.0, abs(obj_c))):
            w, polished = candidate, True
    objective, gap = prob.objective_gap(w)
    viol, margin = duality.kkt_measures(prob.grad(w), w, prob.grp, prob.thr)
    return OracleResult(x=w, objective=objective, gap=gap, support=np.flatnonzero(w),
                        n_iter=n_iter, margin=margin, polished=polished, tol=tol,
                        kkt_violation=viol / prob.thr.max(), info=info)


def _polish(prob, w, max_newton=50):
    """Newton on ``F(X_S v) + sum_{g in S} thr_g ||v_g||`` over the support groups S.

    Smooth there as long as no group norm reaches zero; returns None if the Hessian is
    singular (non-unique restricted solution) or a group collapses.
    """
    grp, thr = prob.grp, prob.thr
    on_groups = np.flatnonzero(grp.norms(w) > 0)
    if on_groups.size == 0:
        return w.copy()
    idx = np.concatenate([grp.order[grp.ptr[g]:grp.ptr[g + 1]] for g in on_groups])
    sizes = grp.sizes[on_groups]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    XS = prob.X[:, idx]
    y, n = prob.y, prob.n
    t_g = thr[on_groups]

    def parts(v):
        z = XS @ v
        nv = np.sqrt(np.add.reduceat(v ** 2, starts[:-1]))
        if prob.datafit == "ls":
            resid = z - y
            value = 0.5 * resid @ resid / n
            g_fit, h = resid / n, np.full(n, 1.0 / n)
        else:
            value = np.mean(np.logaddexp(0.0, -y * z))
            s = _sigmoid(-y * z)
            g_fit, h = -y * s / n, s * (1 - s) / n
        return value + t_g @ nv, XS.T @ g_fit, h, nv

    v = w[idx].copy()
    value, g_fit, h, nv = parts(v)
    for _ in range(max_newton):
        if np.any(nv == 0):
            return None
        unit = v / np.repeat(nv, sizes)
        grad = g_fit + np.repeat(t_g, sizes) * unit
        if np.max(np.abs(grad)) <= _NEWTON_GTOL * thr.max():
            break                               # stationary to rounding: stop early
        H = (XS.T * h) @ XS
        for k in np.flatnonzero(sizes > 1):     # a singleton's |v| has zero curvature
            a, b = starts[k], starts[k + 1]
            u = unit[a:b]
            H[a:b, a:b] += t_g[k] / nv[k] * (np.eye(b - a) - np.outer(u, u))
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(step)):
            return None
        t = 1.0
        while True:
            value_new, g_new, h_new, nv_new = parts(v - t * step)
            if value_new <= value + 1e-12 * max(1.0, abs(value)):
                break
            t *= 0.5
            if t < 1e-10:                       # no decrease left to find: keep v
                t = 0.0
                break
        if t == 0.0:
            break
        stalled = not value_new < value        # no decrease: the iterate is at rounding level
        v = v - t * step
        value, g_fit, h, nv = value_new, g_new, h_new, nv_new
        if stalled:
            break
        if np.max(np.abs(t * step)) <= 4e-16 * max(1.0, np.max(np.abs(v))):
            break
    out = np.zeros_like(w)
    out[idx] = v
    return out


def _common(X, y, lam, groups, weights, tol, max_iter, labels):
    X, y = duality._design(X, y, labels=labels)
    tol = check_scalar(tol, "tol", low=0.0, low_open=True)
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    grp, thr = duality.penalty_structure(lam, groups, weights, X.shape[1])
    return X, y, grp, thr, tol, max_iter


def lasso(X, y, lam, tol=1e-10, max_iter=100, verbose=False):
    """Certified lasso: ``min_w 1/(2n)||y - Xw||^2 + lam ||w||_1``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    lam : float
        Penalty level, > 0.
    tol : float
        Relative duality-gap tolerance: ``gap <= tol * max(1, |objective|)``.
    max_iter : int
        Outer (working-set) iterations before :class:`OracleConvergenceError` is raised.
    verbose : bool
        Print the objective, gap and working-set size at every outer iteration.

    Returns
    -------
    OracleResult
    """
    X, y, grp, thr, tol, max_iter = _common(X, y, lam, None, None, tol, max_iter, False)
    return solve(_Problem(X, y, grp, thr, "ls"), tol, max_iter, "lasso", verbose)


def group_lasso(X, y, lam, groups, weights=None, tol=1e-10, max_iter=100, verbose=False):
    """Certified group lasso: ``min_w 1/(2n)||y - Xw||^2 + lam sum_g c_g ||w_g||_2``.

    ``groups`` is a list of index arrays partitioning the columns, or an int group size;
    ``weights`` is ``None`` (c_g = 1), ``"sqrt"`` (c_g = sqrt(n_g)) or an array. Other
    parameters and the result as in :func:`lasso`.
    """
    X, y, grp, thr, tol, max_iter = _common(X, y, lam, groups, weights, tol, max_iter, False)
    return solve(_Problem(X, y, grp, thr, "ls"), tol, max_iter, "group_lasso", verbose)


def l1_logistic(X, y, lam, tol=1e-10, max_iter=100, verbose=False):
    """Certified L1 logistic regression (no intercept), labels ``y`` in {-1, +1}.

    ``min_w 1/n sum_i log(1 + exp(-y_i x_i'w)) + lam ||w||_1``; parameters and result as in
    :func:`lasso`.
    """
    X, y, grp, thr, tol, max_iter = _common(X, y, lam, None, None, tol, max_iter, True)
    return solve(_Problem(X, y, grp, thr, "logistic"), tol, max_iter, "l1_logistic", verbose)


def group_l1_logistic(X, y, lam, groups, weights=None, tol=1e-10, max_iter=100,
                      verbose=False):
    """Certified group-L1 logistic regression; ``groups`` and ``weights`` as in
    :func:`group_lasso`, the rest as in :func:`l1_logistic`."""
    X, y, grp, thr, tol, max_iter = _common(X, y, lam, groups, weights, tol, max_iter, True)
    return solve(_Problem(X, y, grp, thr, "logistic"), tol, max_iter, "group_l1_logistic",
                 verbose)
