"""Certified solvers for (group) lasso, (group) L1 logistic regression and the multi-task lasso.

All share one driver: working sets of groups ranked by their KKT violation, a Numba inner
solver on the working set (block CD with Anderson extrapolation for least squares, proximal
Newton for logistic), then the support polish (Newton on the smooth problem restricted to the
identified support, kept only if the restricted system is well conditioned and the full KKT
conditions hold to 1e-12 relative).

The solvers work on the data divided by powers of two (:class:`.duality.Scaling`), which is
the same problem exactly, and certify by the rule of :mod:`.duality`: the duality gap of the
returned ``x``, recomputed from ``x`` alone (in extended precision below
``duality.EXTENDED_BELOW``), is at most ``tol`` times the objective at zero, and the point's
own KKT check agrees with that gap. Anything else raises: ``ValueError`` for inputs whose
answer float64 cannot represent, :class:`OracleConvergenceError` (about the returned point)
when the budget runs out or the gap stalls.
"""

import time
from collections import namedtuple

import numpy as np
import scipy.sparse as sp
from scipy.special import expit as _sigmoid

from .._validation import check_scalar
from . import _kernels, duality, options
from ._result import OracleConvergenceError, OracleResult

_KKT_RTOL = 1e-12
_NEWTON_GTOL = 1e-14   # polish stops once the restricted gradient is this small (relative)
_POLISH_MAX_COND = 1e12  # restricted Hessians worse than this: solution not unique enough
_INNER_FRACTION = 0.1  # a working-set solve cuts the current gap by this factor
_WS_GROWTH = 2.0      # working set = this many times the current support (in groups)
_ANDERSON = 5         # least squares: Anderson extrapolation over this many epochs
_MAX_CD = 50          # logistic: CD passes per proximal Newton step (an inexact step is fine)
_STALL_ROUNDS = 5     # stalled: the best gap of this many rounds is not half the earlier best

_Solved = namedtuple("_Solved", "w cert n_iter polished info")


class _NotCertified(Exception):
    """Internal: the driver gave up at ``w`` (rescaled units) for ``reason``."""

    def __init__(self, w, cert, n_iter, reason):
        super().__init__(reason)
        self.w, self.cert, self.n_iter, self.reason = w, cert, n_iter, reason


class _Problem:
    """Datafit + group penalty on rescaled data, in the form the driver and the polish need."""

    def __init__(self, X, y, grp, thr, datafit, positive=False, p=None, l2=None, null=None):
        self.X, self.y, self.grp, self.thr, self.datafit = X, y, grp, thr, datafit
        self.positive = positive
        self.D = _kernel_design(X)
        n, d = X.shape
        # sample weights and per-feature l2 (logistic options); uniform / zero by default
        self.plain = p is None and l2 is None
        self.p = np.full(n, 1.0 / n) if p is None else p
        self.l2 = np.zeros(d) if l2 is None else l2
        # coordinates refitted exactly before every gap: unpenalized and without l2
        free = np.zeros(d, dtype=bool)
        for g in np.flatnonzero(thr == 0):
            free[grp.order[grp.ptr[g]:grp.ptr[g + 1]]] = True
        self.free = np.flatnonzero(free & (self.l2 == 0))
        self.free_groups = np.flatnonzero(thr == 0)
        self.n = X.shape[0]
        self.null = duality._null_objective(datafit, y) if null is None else null

    def objective_gap(self, w, with_grad=False):
        """``(objective, gap)`` in float64, plus the gradient of the smooth part if asked."""
        if not self.plain:
            return duality._logistic_options_gap(self.X, self.y, w, self.grp, self.thr, self.p,
                                                 self.l2, with_grad, self.positive)
        fn = duality._ls_gap if self.datafit == "ls" else duality._logistic_gap
        return fn(self.X, self.y, w, self.grp, self.thr, with_grad, self.positive)

    def refit(self, w):
        """``w`` with its free coordinates (unpenalized, no l2) refitted exactly."""
        if self.free.size == 0:
            return w
        return duality.refit_free(self.X, self.y, w, self.free, self.p)

    def relative(self, gap):
        if self.null > 0:
            return max(gap, 0.0) / self.null
        return 0.0 if gap <= 0 else np.inf

    def violation_scores(self, w, grad):
        """Per-group ``dist(-grad_g, thr_g d||w_g||)``."""
        dist, on, _ = duality.group_violations(grad, w, self.grp, self.thr, self.positive)
        return dist, on


def _kernel_design(X):
    """The design tuple of :mod:`._kernels`: dense Fortran ``X`` or the CSC arrays."""
    if sp.issparse(X):
        return (np.empty((0, 0), order="F"), X.data, X.indices.astype(np.int64),
                X.indptr.astype(np.int64))
    empty_i = np.empty(0, dtype=np.int64)
    return (np.asfortranarray(X), np.empty(0), empty_i, empty_i)


def _check_extended(X, extended):
    if extended and sp.issparse(X):
        raise ValueError(f"tol below {duality.EXTENDED_BELOW:g} is certified in extended "
                         "precision, which needs a dense X; pass X.toarray() or a larger tol")


def _dense(A):
    return A.toarray() if sp.issparse(A) else A


def _lipschitz_ls(X, grp):
    n = X.shape[0]
    if grp.singletons:
        if sp.issparse(X):
            sq = np.asarray(X.multiply(X).sum(axis=0)).ravel()
        else:
            sq = np.einsum("ij,ij->j", X, X)
        return sq[grp.order] / n
    return np.array([np.linalg.norm(_dense(X[:, idx]), 2) ** 2 / n for idx in grp])


def _stalled(history):
    """No halving of the best relative gap over the last ``_STALL_ROUNDS`` rounds."""
    if len(history) <= _STALL_ROUNDS:
        return False
    return min(history[-_STALL_ROUNDS:]) > 0.5 * min(history[:-_STALL_ROUNDS])


def solve(prob, tol, max_iter, name, certify, verbose=False, p0=10, w0=None):
    """Working-set driver on a rescaled problem.

    The gap is evaluated before every working-set solve and after the last one; once its
    float64 estimate meets ``tol`` the point (polished when possible) is certified by
    ``certify`` (extended precision below ``duality.EXTENDED_BELOW``). Returns a ``_Solved``;
    raises ``_NotCertified`` at the last point when ``max_iter`` solves or a stall end it.
    ``w0`` (rescaled units) is a warm start, e.g. the solution at the previous ``lam`` of a path.
    """
    X, y = prob.X, prob.y
    grp, thr = prob.grp, prob.thr
    n, d = X.shape
    G = grp.n_groups
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=np.float64)
    lips = _lipschitz_ls(X, grp) if prob.datafit == "ls" else None
    t0 = time.perf_counter()
    ws_size, inner, prev_on = 0, 0, None
    target, history, active_set_tried = tol, [], False
    for it in range(max_iter + 1):
        w = prob.refit(w)
        objective, gap, grad = prob.objective_gap(w, with_grad=True)
        rel = prob.relative(gap)
        if verbose:
            print(f"{name}: iter {it:3d}  objective {objective:.12e}  relative gap {rel:.3e}  "
                  f"working set {ws_size}", flush=True)
        if rel <= target:
            info = {"inner_steps": inner, "unpolished_gap": gap,
                    "seconds": time.perf_counter() - t0}
            out = _finish(prob, w, tol, it, info, certify)
            if out is not None:
                return out
            target /= 4        # the float64 estimate was optimistic: ask the solver for more
        history.append(rel)
        if it < max_iter and _stalled(history) and not active_set_tried and \
                prob.datafit == "ls" and grp.singletons:
            # coordinate descent crawls on some wide, small-lam lasso problems (a near-flat
            # valley pinned only by the L1 term); an exact active-set solve ends the crawl
            active_set_tried = True
            refined = _active_set_lasso(prob)
            if refined is not None:
                w, history = refined, []
                continue
        if it == max_iter or _stalled(history):
            cert = certify(w)
            if _accept(cert, tol):      # the extended-precision check is the one that counts
                info = {"inner_steps": inner, "unpolished_gap": cert.gap,
                        "seconds": time.perf_counter() - t0}
                return _Solved(w.copy(), cert, it, False, info)
            raise _NotCertified(w.copy(), cert, it, "max_iter" if it == max_iter else "stalled")
        scores, on = prob.violation_scores(w, grad)
        n_on = int(on.sum())
        ws_size = min(G, max(p0, int(_WS_GROWTH * n_on)))
        # once the support stops changing, solve the working set to the final tolerance
        # in one go instead of cutting the gap by a constant factor per round
        tol_abs = target * prob.null
        tol_in = 0.5 * tol_abs if np.array_equal(on, prev_on) else _INNER_FRACTION * gap
        prev_on = on
        scores[on] = np.inf
        scores[prob.free_groups] = np.inf      # unpenalized groups are always in
        ws = np.sort(np.argpartition(-scores, ws_size - 1)[:ws_size]).astype(np.int64)
        if prob.datafit == "ls":
            r = y - X @ w
            steps, _ = _kernels.ls_ws_solve(prob.D, y, w, r, ws, grp.order, grp.ptr, lips, thr,
                                            tol_in, 10_000, _ANDERSON,
                                            bool(np.any(prob.positive)))
        else:
            z = X @ w
            steps, _ = _kernels.logreg_ws_solve(prob.D, y, w, z, ws, grp.order, grp.ptr, thr,
                                                tol_in, 100, _MAX_CD,
                                                bool(np.any(prob.positive)), prob.p, prob.l2)
        inner += steps
    raise AssertionError("unreachable")  # pragma: no cover


def _active_set_lasso(prob, max_steps=None):
    """Exact lasso solution by a primal active-set method (Osborne, Presnell and Turlach).

    From ``w = 0``: add the most violating coordinate with the sign of its correlation, solve
    the sign-fixed least-squares system on the active set, and when a coordinate would change
    sign step only to where it reaches zero and drop it. Each step decreases the objective,
    so it ends at the solution in finitely many steps. Returns None if an active system is
    singular or nearly so (a non-unique solution), or after ``max_steps``.
    """
    X, y, n = prob.X, prob.y, prob.n
    d = X.shape[1]
    t = np.empty(d)
    t[prob.grp.order] = prob.thr                 # per-coordinate threshold
    max_steps = 20 * d + 100 if max_steps is None else max_steps
    w = np.zeros(d)
    active, signs = [], []
    optimal_on_active = True
    for _ in range(max_steps):
        if optimal_on_active:
            c = X.T @ (y - X @ w) / n
            excess = (np.maximum(c, 0.0) if prob.positive else np.abs(c)) - t
            excess[active] = -np.inf
            j = int(np.argmax(excess))
            if excess[j] <= 1e-14 * t.max():
                return w
            active.append(j)
            signs.append(np.sign(c[j]))
        S = np.array(active)
        XS = _dense(X[:, S])
        sv, Vt = np.linalg.svd(XS)[1:]
        if len(active) > n or sv[-1] <= 1e-9 * sv[0]:
            # rank-deficient active columns (more than n, or fewer independent rows, as with
            # zero sample weights): the datafit is flat along the null direction z of X_S, and
            # the L1 term decreases along it (j violates KKT); move until a coordinate hits 0
            z = Vt[-1] * (signs[-1] * np.sign(Vt[-1][-1]))
            shrinking = z * np.array(signs) < 0
            if not shrinking.any() or not t[S] @ (np.array(signs) * z) < 0:
                return None
            frac = np.where(shrinking, -w[S] / np.where(shrinking, z, 1.0), np.inf)
            k = int(np.argmin(frac))
            w[S] += frac[k] * z
            w[S[k]] = 0.0
            del active[k], signs[k]
            optimal_on_active = False
            continue
        G = XS.T @ XS / n
        if not _well_conditioned(G):
            return None
        h = np.linalg.solve(G, XS.T @ y / n - t[S] * np.array(signs))
        wrong = h * np.array(signs) <= 0
        if not wrong.any():
            w[:] = 0.0
            w[S] = h
            optimal_on_active = True
            continue
        wS = w[S]
        frac = np.where(wrong, wS / np.where(wrong, wS - h, 1.0), np.inf)
        k = int(np.argmin(frac))
        w[S] = wS + frac[k] * (h - wS)
        w[S[k]] = 0.0
        del active[k], signs[k]
        optimal_on_active = False
    return None


def _accept(cert, tol):
    return cert.relative_gap <= tol and cert.implies_kkt(tol)


def _finish(prob, w, tol, n_iter, info, certify):
    """Polish on the support; the certified point (polished if that passes), or None."""
    candidate = _polish(prob, w)
    if candidate is not None and prob.positive and np.any(candidate < 0):
        candidate = None                       # the restricted solve left the feasible set
    if candidate is not None and np.array_equal(prob.grp.norms(candidate) > 0,
                                                prob.grp.norms(w) > 0):
        cert = certify(candidate)
        if cert.kkt_violation <= _KKT_RTOL and _accept(cert, tol):
            return _Solved(candidate, cert, n_iter, True, info)
    cert = certify(w)
    if _accept(cert, tol):
        return _Solved(w.copy(), cert, n_iter, False, info)
    return None


def _polish(prob, w, max_newton=50):
    """Newton on ``F(X_S v) + sum_{g in S} thr_g ||v_g||`` over the support groups S.

    Smooth there as long as no group norm reaches zero. Returns None if a group collapses or
    the restricted system is singular or nearly so (more support coordinates than samples, or
    a Hessian condition number above ``_POLISH_MAX_COND``): the restricted solution is then
    not unique, or not determined to machine precision, and "polished" would claim too much.
    """
    grp, thr = prob.grp, prob.thr
    if not prob.plain:
        return None                 # options (weights, l2, unpenalized): no restricted Newton
    on_groups = np.flatnonzero(grp.norms(w) > 0)
    if on_groups.size == 0:
        return w.copy()
    idx = np.concatenate([grp.order[grp.ptr[g]:grp.ptr[g + 1]] for g in on_groups])
    sizes = grp.sizes[on_groups]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    XS = _dense(prob.X[:, idx])
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

    if idx.size > prob.n:
        return None
    v = w[idx].copy()
    value, g_fit, h, nv = parts(v)
    for newton_step in range(max_newton):
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
        if newton_step == 0 and not _well_conditioned(H):
            return None
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


def _well_conditioned(H):
    ev = np.linalg.eigvalsh(H)
    return bool(np.all(np.isfinite(ev)) and ev[0] > ev[-1] / _POLISH_MAX_COND)


def check_tol(tol):
    """Validated relative tolerance; ``ValueError`` below ``duality.TOL_MIN``."""
    tol = check_scalar(tol, "tol", low=0.0, low_open=True)
    if tol < duality.TOL_MIN:
        raise ValueError(f"tol={tol:.3g} is below what a float64 certificate can mean; the "
                         f"smallest meaningful relative tolerance is {duality.TOL_MIN:.2g} "
                         "(4 machine epsilons)")
    return tol


def _decades(value):
    """log10 of a positive float or longdouble product, for messages about float64's range."""
    return float(np.log10(np.longdouble(value)))


def _representable(name, scaled, what, up=1.0, down=1.0):
    """``scaled * up / down`` in float64, or ``ValueError`` saying by how many decades it
    misses.

    ``scaled`` is an array or scalar in rescaled units (max entries ~ 1); the powers of two
    ``up`` and ``down`` bring it back to the problem's units. Every non-zero entry must land in
    float64's normal range: an overflow would be a lie, an underflow to a subnormal or zero
    loses the answer.
    """
    scaled = np.asarray(scaled, dtype=np.float64)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # detected below
        out = scaled * up / down
    mags = np.abs(scaled[scaled != 0])
    if mags.size == 0:
        return out
    shift = _decades(up) - _decades(down)
    hi, lo = _decades(mags.max()) + shift, _decades(mags.min()) + shift
    top, bottom = np.log10(np.finfo(np.float64).max), np.log10(np.finfo(np.float64).tiny)
    if hi > top or not np.all(np.isfinite(out)):
        raise ValueError(f"{name}: the {what} is about 1e{hi:.0f}, {hi - top:.0f} decades beyond "
                         "float64's largest number; rescale the data (and lam)")
    if lo < bottom:
        raise ValueError(f"{name}: the {what} is about 1e{lo:.0f}, {bottom - lo:.0f} decades "
                         "below float64's smallest normal number; rescale the data (and lam)")
    return out


def _gap_in_units(name, gap, sy):
    """A gap (possibly tiny or negative) back in the problem's units; only overflow refused."""
    with np.errstate(over="ignore", under="ignore"):
        out = float(gap * sy * sy)
    if not np.isfinite(out):
        _representable(name, gap, "duality gap", sy, 1 / sy)
    return out


def _run(name, prob, certify, scaling, tol, max_iter, verbose, problem, to_x,
         support_of, extended, w0=None):
    """Solve ``prob`` (rescaled) and return the :class:`OracleResult` in original units."""
    sy = scaling.sy
    try:
        solved = solve(prob, tol, max_iter, name, certify, verbose, w0=w0)
    except _NotCertified as stop:
        c = stop.cert
        objective = float(_representable(name, c.objective, "objective", sy, 1 / sy))
        gap = _gap_in_units(name, max(c.gap, 0.0), sy)
        raise OracleConvergenceError(name, gap, objective, c.relative_gap, tol, stop.n_iter,
                                     to_x(_representable(name, stop.w, "last point", sy,
                                                         scaling.sx)), stop.reason
                                     ) from None
    c = solved.cert
    x = to_x(_representable(name, solved.w, "solution", scaling.sy, scaling.sx))
    objective = float(_representable(name, c.objective, "objective", sy, 1 / sy))
    null = float(_representable(name, c.null_objective, "objective at zero", sy, 1 / sy))
    gap = _gap_in_units(name, max(c.gap, 0.0), sy)
    info = dict(solved.info, raw_gap=_gap_in_units(name, c.gap, sy), extended=extended)
    info["unpolished_gap"] = _gap_in_units(name, info["unpolished_gap"], sy)
    return OracleResult(x=x, objective=objective, gap=gap, support=support_of(x),
                        n_iter=solved.n_iter, margin=c.margin * scaling.sx * scaling.sy,
                        polished=solved.polished, tol=tol, kkt_violation=c.kkt_violation,
                        null_objective=null, relative_gap=c.relative_gap, info=info,
                        problem=problem)


class _Data:
    """Validated data of a single-response problem and its power-of-two rescaling (shared by
    every ``lam`` of a path)."""

    def __init__(self, kind, X, y):
        self.kind = kind
        self.datafit = "logistic" if "logistic" in kind else "ls"
        self.X, self.y = duality._design(X, y, labels=self.datafit == "logistic")
        self.scaling = duality.Scaling.of(self.X, self.y, self.datafit)
        self.Xs, self.ys = self.scaling.data(self.X, self.y)


def _solve_on(data, lam, groups, weights, tol, max_iter, verbose, w0=None, positive=False):
    """Solve ``data.kind`` at ``lam`` (``tol``, ``max_iter`` validated), warm-started at the
    original-units point ``w0`` if given, and certify."""
    grp, thr = duality.penalty_structure(lam, groups, weights, data.X.shape[1])
    scaling, datafit, Xs, ys = data.scaling, data.datafit, data.Xs, data.ys
    thr_s = scaling.thresholds(thr, lam)
    extended = tol < duality.EXTENDED_BELOW
    _check_extended(Xs, extended)

    def certify(w):
        return duality.scaled_certificate(datafit, Xs, ys, w, grp, thr_s, extended, positive)

    problem = {"kind": data.kind, "X": data.X, "y": data.y, "lam": float(lam),
               "groups": groups, "weights": weights}
    if positive:
        problem["positive"] = True
    return _run(data.kind, _Problem(Xs, ys, grp, thr_s, datafit, positive), certify, scaling,
                tol,
                max_iter, verbose, problem, lambda w: w, np.flatnonzero, extended,
                w0=None if w0 is None else scaling.from_weights(w0))


def check_budget(tol, max_iter):
    """Validated ``(tol, max_iter)``."""
    return check_tol(tol), check_scalar(max_iter, "max_iter", low=1, integer=True)


def _solve_vector(kind, X, y, lam, groups, weights, tol, max_iter, verbose, positive=False):
    """The four single-response solvers: validate, rescale, solve, certify."""
    data = _Data(kind, X, y)
    tol, max_iter = check_budget(tol, max_iter)
    positive = duality._check_positive(positive, kind)
    return _solve_on(data, lam, groups, weights, tol, max_iter, verbose, positive=positive)


def lasso(X, y, lam, tol=1e-10, max_iter=100, verbose=False, *, fit_intercept=False,
          sample_weight=None, l2=0.0, feature_weights=None, positive=False):
    """Certified lasso: ``min_w 1/(2n)||y - Xw||^2 + lam ||w||_1``, with options::

        min_{w, b} 1/(2 sum_i s_i) sum_i s_i (y_i - x_i'w - b)^2 + lam sum_j c_j |w_j|
                   + l2/2 ||w||^2

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    lam : float
        Penalty level, > 0.
    tol : float
        Relative duality-gap tolerance, at least ``duality.TOL_MIN`` (about 8.9e-16): the
        returned point's gap is at most ``tol * ||y||^2/(2n)``, the objective at zero. The
        default 1e-10 asks for ten significant digits of the objective on that scale.
    max_iter : int
        Outer (working-set) iterations before :class:`OracleConvergenceError` is raised.
    verbose : bool
        Print the objective, relative gap and working-set size at every outer iteration.
    fit_intercept : bool
        Fit an unpenalized intercept ``b`` (``result.intercept``; 0.0 when not fitted).
    sample_weight : array_like, shape (n,), optional
        ``s_i >= 0``, not all zero: the datafit becomes the weighted mean (scikit-learn's
        convention, which rescales the weights to sum to n).
    l2 : float
        Elastic-net term ``l2/2 ||w||^2`` (on every coefficient, not on ``b``); ``l2 > 0`` adds
        ``d`` rows to the internal problem.
    feature_weights : array_like, shape (d,), optional
        ``c_j >= 0`` (default 1); ``c_j = 0`` leaves feature ``j`` unpenalized (the
        unpenalized features and the intercept must have full column rank).
    positive : bool
        Constrain ``w >= 0`` (not with zero feature weights).

    With any option the problem is solved through its exact reduction to a plain lasso
    (:mod:`sketchopt.oracles.options`) and certified again on the original problem: the
    scale ``P(0)`` is then the objective at ``w = 0`` with the best intercept.

    Returns
    -------
    OracleResult
        Certified: ``relative_gap <= tol`` and the point's own KKT check agrees.

    Raises
    ------
    ValueError
        Bad input, ``tol`` below float64 resolution, or data whose solution or objective
        float64 cannot represent (the message says by how many decades).
    OracleConvergenceError
        ``max_iter`` rounds ran out or the gap stalled; carries the last point and its gap.
    """
    if options.uses_options(fit_intercept, sample_weight, l2, feature_weights) or \
            duality._is_zero(lam):
        return options.solve("lasso", X, y, lam, None, None, tol, max_iter, verbose,
                             fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2,
                             feature_weights=feature_weights, positive=positive)
    return _solve_vector("lasso", X, y, lam, None, None, tol, max_iter, verbose, positive)


def group_lasso(X, y, lam, groups, weights=None, tol=1e-10, max_iter=100, verbose=False, *,
                fit_intercept=False, sample_weight=None, l2=0.0):
    """Certified group lasso: ``min_w 1/(2n)||y - Xw||^2 + lam sum_g c_g ||w_g||_2``.

    ``groups`` is a list of index arrays partitioning the columns, or an int group size;
    ``weights`` is ``None`` (c_g = 1), ``"sqrt"`` (c_g = sqrt(n_g)) or an array with
    ``c_g >= 0`` (0: the group is unpenalized). ``fit_intercept``, ``sample_weight`` and
    ``l2`` as in :func:`lasso` (objective ``1/(2 sum s) sum_i s_i (y_i - x_i'w - b)^2 +
    lam sum_g c_g ||w_g|| + l2/2 ||w||^2``). The certificate is relative to the objective at
    zero; other parameters, the result and the errors as in :func:`lasso`.
    """
    if options.uses_options(fit_intercept, sample_weight, l2, None, weights) or \
            duality._is_zero(lam):
        return options.solve("group_lasso", X, y, lam, groups, weights, tol, max_iter, verbose,
                             fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2,
                             feature_weights=None, positive=False)
    return _solve_vector("group_lasso", X, y, lam, groups, weights, tol, max_iter, verbose)


def l1_logistic(X, y, lam, tol=1e-10, max_iter=100, verbose=False, *, fit_intercept=False,
                sample_weight=None, l2=0.0, feature_weights=None, positive=False):
    """Certified L1 logistic regression, labels ``y`` in {-1, +1}.

    ``min_w 1/n sum_i log(1 + exp(-y_i x_i'w)) + lam ||w||_1``, with options::

        min_{w, b} 1/(sum s) sum_i s_i log(1 + exp(-y_i (x_i'w + b))) + lam sum_j c_j |w_j|
                   + l2/2 ||w||^2   (+ w >= 0)

    ``fit_intercept``, ``sample_weight``, ``l2``, ``feature_weights`` and ``positive`` as in
    :func:`lasso`; the intercept and the zero-weight features are refitted exactly before
    every gap (so the dual point meets their constraints). The certificate is relative to the
    objective at zero, ``log 2`` (with an intercept: the weighted entropy of the labels);
    parameters, result and errors as in :func:`lasso` (with options, ``polished`` is False).
    """
    if options.uses_options(fit_intercept, sample_weight, l2, feature_weights):
        return options.solve_logistic("l1_logistic", X, y, lam, None, None, tol, max_iter,
                                      verbose, fit_intercept=fit_intercept,
                                      sample_weight=sample_weight, l2=l2,
                                      feature_weights=feature_weights, positive=positive)
    return _solve_vector("l1_logistic", X, y, lam, None, None, tol, max_iter, verbose,
                         positive)


def group_l1_logistic(X, y, lam, groups, weights=None, tol=1e-10, max_iter=100,
                      verbose=False, *, fit_intercept=False, sample_weight=None, l2=0.0):
    """Certified group-L1 logistic regression; ``groups`` and ``weights`` (0: unpenalized) as
    in :func:`group_lasso`, the options and the rest as in :func:`l1_logistic`."""
    if options.uses_options(fit_intercept, sample_weight, l2, None, weights):
        return options.solve_logistic("group_l1_logistic", X, y, lam, groups, weights, tol,
                                      max_iter, verbose, fit_intercept=fit_intercept,
                                      sample_weight=sample_weight, l2=l2,
                                      feature_weights=None, positive=False)
    return _solve_vector("group_l1_logistic", X, y, lam, groups, weights, tol, max_iter,
                         verbose)
