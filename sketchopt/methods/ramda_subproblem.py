"""The RAMDA subproblem (paper Algorithm 2) and its exact reference.

Q(W) = alpha*psi(W) + <V, W - W0> + 1/2 (W - W0)' diag(P) (W - W0)   (the paper's (P-4) minus
the constant <V, W0>, as the authors' code computes it; differences of Q are unchanged).

* :func:`pg_solve`: proximal gradient from ``Z0`` with per-group steps ``1/max_{i in g} P_i``
  (the authors' code) or one global step ``1/max P`` (the paper, and the nuclear norm), and
  one of three stopping rules: the code's relative decrease (< rtol from the 2nd iteration
  on, at most ``max_iters``), the paper's (P-7) with the computable measure
  ``s_j = (P - 1/theta)(Z_j - Z_{j-1})``, or a fixed number of iterations.
* :func:`exact_solve`: the per-group scalar-root solution (``GroupL1.prox_diag``, the same
  equation ProxSSI solves).
* :func:`screen`: the zero test ``||P_g W0_g - V_g|| <= alpha*lam*c_g`` (ramda_exp) or the public
  repo's mask without ``sqrt(n_g)``.

Penalties: ``sketchopt.penalties.L1`` / ``GroupL1`` (taken as groups of size 1 and weights 1 for
L1) and :class:`sketchopt.nuclear.NuclearNorm`. :func:`penalty_arrays` is the thin adapter that
flattens them into the arrays the kernels take.
"""

from dataclasses import dataclass

import numpy as np
from numba import njit

from .._validation import as_float_array, check_scalar
from ..nuclear import NuclearNorm, nuclear_subdiff_distance, singular_values, svt
from ..penalties import L1, GroupL1, _group_prox_diag, _group_soft_threshold

GROUP, NUCLEAR = 0, 1
RULE_CODE, RULE_P7, RULE_FIXED = 0, 1, 2
RULES = {"code": RULE_CODE, "p7": RULE_P7, "fixed": RULE_FIXED}
STEPS = {"group": 0, "global": 1}


# ------------------------------------------------------------------------------- adapter
@dataclass
class PenaltyArrays:
    """A penalty flattened for the kernels: kind, groups (order, ptr), per-group thresholds
    ``lam * c_g``, the plain ``lam`` (for the public screening mask) and the matrix shape."""
    kind: int
    order: np.ndarray
    ptr: np.ndarray
    thr: np.ndarray
    lam: float
    m: int
    k: int

    @property
    def n_groups(self):
        return self.ptr.size - 1


def penalty_arrays(penalty, d):
    """Adapter from ``L1`` / ``GroupL1`` / ``NuclearNorm`` to :class:`PenaltyArrays`."""
    if isinstance(penalty, GroupL1):
        g = penalty.groups
        if g.d != d:
            raise ValueError(f"penalty groups cover {g.d} features, the problem has {d}")
        return PenaltyArrays(GROUP, g.order, g.ptr, np.asarray(penalty.thresholds, float),
                             penalty.lam, 1, d)
    if isinstance(penalty, L1):
        return PenaltyArrays(GROUP, np.arange(d, dtype=np.int64),
                             np.arange(d + 1, dtype=np.int64), np.full(d, penalty.lam),
                             penalty.lam, 1, d)
    if isinstance(penalty, NuclearNorm):
        if penalty.d != d:
            raise ValueError(f"penalty shape {penalty.m}x{penalty.k} does not match d={d}")
        return PenaltyArrays(NUCLEAR, np.arange(d, dtype=np.int64),
                             np.array([0, d], dtype=np.int64), np.array([penalty.lam]),
                             penalty.lam, penalty.m, penalty.k)
    raise ValueError("penalty must be L1, GroupL1 or NuclearNorm")


# ------------------------------------------------------------------------------- kernels
@njit(cache=True)
def q_value(Z, W0, V, P, alpha, thr, order, ptr, kind, m, k):
    """Q(Z) = alpha psi(Z) + <V, Z - W0> + 1/2 ||Z - W0||_P^2."""
    D = Z - W0
    q = V @ D + 0.5 * np.sum(P * D * D)
    if kind == GROUP:
        for g in range(ptr.size - 1):
            s = 0.0
            for j in range(ptr[g], ptr[g + 1]):
                s += Z[order[j]] ** 2
            q += alpha * thr[g] * np.sqrt(s)
    else:
        sv = singular_values(Z, m, k)
        q += alpha * thr[0] * np.sum(sv)
    return q


@njit(cache=True)
def group_subdiff_distance(w, grad, thr, order, ptr):
    """dist(-grad, d psi(w)) for psi = sum_g thr_g ||w_g|| (exact min-norm subgradient)."""
    sq = 0.0
    for g in range(ptr.size - 1):
        nw = 0.0
        ng = 0.0
        for j in range(ptr[g], ptr[g + 1]):
            nw += w[order[j]] ** 2
            ng += grad[order[j]] ** 2
        if nw > 0.0:
            nw = np.sqrt(nw)
            for j in range(ptr[g], ptr[g + 1]):
                i = order[j]
                sq += (grad[i] + thr[g] * w[i] / nw) ** 2
        else:
            r = np.sqrt(ng) - thr[g]
            if r > 0.0:
                sq += r * r
    return np.sqrt(sq)


@njit(cache=True)
def subdiff_distance(w, grad, thr, order, ptr, kind, m, k):
    """dist(-grad, d psi(w)) for either penalty kind."""
    if kind == GROUP:
        return group_subdiff_distance(w, grad, thr, order, ptr)
    return nuclear_subdiff_distance(w, grad, thr[0], m, k)


@njit(cache=True)
def q_subdiff_distance(Z, W0, V, P, alpha, thr, order, ptr, kind, m, k):
    """dist(0, dQ(Z)), exact: r = V + P(Z - W0) against alpha*thr."""
    return subdiff_distance(Z, V + P * (Z - W0), alpha * thr, order, ptr, kind, m, k)


@njit(cache=True)
def screen_mask(W0, V, P, alpha, thr, order, ptr):
    """True for groups with ||P_g W0_g - V_g|| <= alpha*thr_g (zero at the optimum)."""
    G = ptr.size - 1
    out = np.zeros(G, dtype=np.bool_)
    for g in range(G):
        s = 0.0
        for j in range(ptr[g], ptr[g + 1]):
            i = order[j]
            s += (P[i] * W0[i] - V[i]) ** 2
        out[g] = np.sqrt(s) <= alpha * thr[g]
    return out


@njit(cache=True)
def _prox(y, theta, alpha, thr, order, ptr, kind, m, k, keep):
    """Prox of theta*alpha*psi at y (theta per coordinate, constant within a group)."""
    if kind == NUCLEAR:
        return svt(y, theta[0] * alpha * thr[0], m, k)
    G = ptr.size - 1
    t = np.empty(G)
    for g in range(G):
        t[g] = theta[order[ptr[g]]] * alpha * thr[g] if keep[g] else np.inf
    return _group_soft_threshold(y, t, order, ptr)


@njit(cache=True)
def pg_kernel(Z0, W0, V, P, alpha, thr, order, ptr, kind, m, k, step_mode, rule, max_iters,
              rtol, eps_target, screen_thr, hist, step_scale=1.0):
    """Algorithm 2. ``screen_thr[g] < 0`` disables screening of group g; ``step_scale``
    multiplies every step (1 is the paper's 1/L; > 2 is a deliberate error).

    Returns (Z, iterations, ||s_last||); ``hist[j-1] = (Q(Z_j), ||s_j||)``.
    """
    d = Z0.size
    Z = Z0.copy()
    G = ptr.size - 1
    keep = np.ones(G, dtype=np.bool_)
    theta = np.empty(d)
    pmax = P.max()
    if kind == GROUP:
        for g in range(G):
            s = 0.0
            pg = 0.0
            for j in range(ptr[g], ptr[g + 1]):
                i = order[j]
                s += (P[i] * W0[i] - V[i]) ** 2
                pg = max(pg, P[i])
            if screen_thr[g] >= 0.0 and np.sqrt(s) <= screen_thr[g]:
                keep[g] = False
                for j in range(ptr[g], ptr[g + 1]):
                    Z[order[j]] = 0.0
            step = step_scale / pg if step_mode == 0 else step_scale / pmax
            for j in range(ptr[g], ptr[g + 1]):
                theta[order[j]] = step
    else:
        theta[:] = step_scale / pmax
    q0 = q_value(Z0, W0, V, P, alpha, thr, order, ptr, kind, m, k)
    q_prev = q_value(Z, W0, V, P, alpha, thr, order, ptr, kind, m, k)
    it = 0
    snorm = np.inf
    for j in range(1, max_iters + 1):
        y = Z - theta * (V + P * (Z - W0))
        Znew = _prox(y, theta, alpha, thr, order, ptr, kind, m, k, keep)
        if kind == GROUP:
            for g in range(G):  # screened groups stay at their exact optimum 0
                if not keep[g]:
                    for jj in range(ptr[g], ptr[g + 1]):
                        Znew[order[jj]] = 0.0
        s = (P - 1.0 / theta) * (Znew - Z)
        snorm = np.sqrt(s @ s)
        Z = Znew
        q = q_value(Z, W0, V, P, alpha, thr, order, ptr, kind, m, k)
        if hist.shape[0] >= j:
            hist[j - 1, 0] = q
            hist[j - 1, 1] = snorm
        it = j
        if rule == RULE_CODE:
            if j >= 2 and (q_prev - q) / (abs(q) + 1.0) < rtol:
                break
        elif rule == RULE_P7:
            if snorm <= eps_target and q <= q0:
                break
        q_prev = q
    return Z, it, snorm


@njit(cache=True)
def exact_kernel(W0, V, P, alpha, thr, order, ptr):
    """Exact group-L1 subproblem solution: prox of alpha*psi in the metric diag(P) at
    W0 - V/P (one scalar root per group)."""
    return _group_prox_diag(W0 - V / P, P, alpha * thr, order, ptr)


# -------------------------------------------------------------------------- public API
@dataclass
class PGResult:
    """Output of :func:`pg_solve`: solution, iterations, last ``||s_j||``, and per-iteration
    ``Q(Z_j)`` and ``||s_j||`` (``q_hist``, ``s_hist``; index j-1)."""
    x: np.ndarray
    n_iter: int
    s_norm: float
    q_hist: np.ndarray
    s_hist: np.ndarray


def _check_problem(W0, V, P, alpha, penalty):
    W0 = np.ascontiguousarray(as_float_array(W0, "W0", ndim=1))
    V = np.ascontiguousarray(as_float_array(V, "V", ndim=1))
    P = np.ascontiguousarray(as_float_array(P, "P", ndim=1))
    for name, a in (("V", V), ("P", P)):
        if a.size != W0.size:
            raise ValueError(f"{name} must have length {W0.size}, got {a.size}")
    if np.any(P <= 0):
        raise ValueError("P must be > 0 entrywise")
    alpha = check_scalar(alpha, "alpha", low=0.0)
    return W0, V, P, alpha, penalty_arrays(penalty, W0.size)


def screen_thresholds(pa, alpha, mask):
    """Per-group screening thresholds: ``"sqrt"`` (alpha*lam*c_g), ``"public"`` (alpha*lam,
    the public repo's mask) or ``None`` (no screening, all -1)."""
    if mask is None or pa.kind == NUCLEAR:
        return -np.ones(pa.n_groups)
    if mask == "sqrt":
        return alpha * pa.thr
    if mask == "public":
        return np.full(pa.n_groups, alpha * pa.lam)
    raise ValueError(f"screening must be None, 'sqrt' or 'public', got {mask!r}")


def check_pg_options(rule, step, max_iters, rtol, step_scale=1.0):
    """Validate the PG solver's options; returns ``(max_iters, rtol, step_scale)`` as checked
    numbers."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {sorted(RULES)}, got {rule!r}")
    if step not in STEPS:
        raise ValueError(f"step must be 'group' or 'global', got {step!r}")
    return (check_scalar(max_iters, "max_iters", low=1, integer=True),
            check_scalar(rtol, "rtol", low=0.0),
            check_scalar(step_scale, "step_scale", low=0.0, low_open=True))


def pg_solve(Z0, W0, V, P, alpha, penalty, rule="code", max_iters=100, rtol=1e-8, eps=0.0,
             step="group", screening=None, step_scale=1.0):
    """Algorithm 2: proximal gradient on Q(W) = alpha psi(W) + <V, W> + 1/2||W - W0||_P^2.

    Parameters
    ----------
    Z0, W0, V, P : ndarray of shape (d,)
        Start, anchor, dual average and diagonal metric (P > 0).
    alpha : float
        Weight of the regularizer (alpha_t in RAMDA, lr in ProxGen).
    penalty : L1, GroupL1 or NuclearNorm
    rule : {"code", "p7", "fixed"}
        Stopping rule: relative decrease < ``rtol`` from the 2nd iteration on (authors' code);
        (P-7): ``||s_j|| <= eps`` and Q(Z_j) <= Q(Z0); or always ``max_iters`` iterations.
    max_iters : int
    rtol, eps : float
    step : {"group", "global"}
        Per-group steps 1/max_{i in g} P_i (code) or one step 1/max P (paper, nuclear norm).
    screening : None, "sqrt" or "public"
        Zero test applied before the iterations (see :func:`screen`).
    step_scale : float
        Multiplies the step (1 = 1/L; a value past 2 makes PG diverge, a deliberate error).

    Returns
    -------
    PGResult
    """
    W0, V, P, alpha, pa = _check_problem(W0, V, P, alpha, penalty)
    Z0 = np.ascontiguousarray(as_float_array(Z0, "Z0", ndim=1))
    if Z0.size != W0.size:
        raise ValueError(f"Z0 must have length {W0.size}, got {Z0.size}")
    max_iters, rtol, step_scale = check_pg_options(rule, step, max_iters, rtol, step_scale)
    eps = check_scalar(eps, "eps", low=0.0)
    hist = np.full((max_iters, 2), np.nan)
    Z, it, sn = pg_kernel(Z0, W0, V, P, alpha, pa.thr, pa.order, pa.ptr, pa.kind, pa.m, pa.k,
                          STEPS[step], RULES[rule], max_iters, rtol, eps,
                          screen_thresholds(pa, alpha, screening), hist, step_scale)
    return PGResult(Z, int(it), float(sn), hist[:it, 0].copy(), hist[:it, 1].copy())


def exact_solve(W0, V, P, alpha, penalty):
    """Exact minimizer of Q for L1 / group L1 (per-group scalar root; ProxSSI's equation)."""
    W0, V, P, alpha, pa = _check_problem(W0, V, P, alpha, penalty)
    if pa.kind != GROUP:
        raise ValueError("exact_solve needs an L1 or GroupL1 penalty")
    return exact_kernel(W0, V, P, alpha, pa.thr, pa.order, pa.ptr)


def screen(W0, V, P, alpha, penalty, mask="sqrt"):
    """Boolean per group: True where the screening rule fixes the group to zero.

    ``mask="sqrt"`` tests ``||P_g W0_g - V_g|| <= alpha*lam*c_g``, which is exactly the zero
    condition of the subproblem [derived]; ``"public"`` uses ``alpha*lam`` (no sqrt(n_g)), which
    is safe but screens fewer groups.
    """
    W0, V, P, alpha, pa = _check_problem(W0, V, P, alpha, penalty)
    if pa.kind != GROUP:
        raise ValueError("screen needs an L1 or GroupL1 penalty")
    if mask not in ("sqrt", "public"):
        raise ValueError(f"mask must be 'sqrt' or 'public', got {mask!r}")
    thr = screen_thresholds(pa, 1.0, mask)
    return screen_mask(W0, V, P, alpha, thr, pa.order, pa.ptr)


def q_objective(W, W0, V, P, alpha, penalty):
    """Q(W) (code form, without the constant <V, W0>)."""
    W0, V, P, alpha, pa = _check_problem(W0, V, P, alpha, penalty)
    W = np.ascontiguousarray(as_float_array(W, "W", ndim=1))
    return float(q_value(W, W0, V, P, alpha, pa.thr, pa.order, pa.ptr, pa.kind, pa.m, pa.k))


def q_stationarity(W, W0, V, P, alpha, penalty):
    """Exact dist(0, dQ(W)) (spec §3.1 formula; SVD-based for the nuclear norm)."""
    W0, V, P, alpha, pa = _check_problem(W0, V, P, alpha, penalty)
    W = np.ascontiguousarray(as_float_array(W, "W", ndim=1))
    return float(q_subdiff_distance(W, W0, V, P, alpha, pa.thr, pa.order, pa.ptr, pa.kind,
                                    pa.m, pa.k))


def _warmup():
    pen = GroupL1(0.1, 2, d=4, weights="sqrt")
    z = np.array([1.0, -0.5, 0.2, 0.1])
    p = np.array([1.0, 2.0, 0.5, 1.5])
    for rule in RULES:
        pg_solve(z, z * 0, z, p, 1.0, pen, rule=rule, max_iters=3, screening="sqrt")
    exact_solve(z * 0, z, p, 1.0, pen)
    screen(z * 0, z, p, 1.0, pen)
    q_stationarity(z, z * 0, z, p, 1.0, pen)
    nuc = NuclearNorm(0.1, (2, 2))
    pg_solve(z, z * 0, z, p, 1.0, nuc, max_iters=3, step="global")
    q_stationarity(z, z * 0, z, p, 1.0, nuc)
