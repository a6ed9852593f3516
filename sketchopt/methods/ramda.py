"""RAMDA (Huang & Lee, NeurIPS 2024) and its baselines on finite-sum regularized problems.

Methods (spec ``specs/ramda.md`` §2): RAMDA (Algorithm 1), RMDA (closed-form subproblem, P_t =
sqrt(t) I), MDA (RMDA with psi = 0), MADGRAD (reference, psi = 0), RDA (Xiao 2010), ProxSGD,
ProxGen (PG subproblem solver) and ProxSSI (exact root solver). Minibatches are drawn with
replacement from the fixed data set (pre-drawn indices), so f and grad f are exact.

Stage-wise schedule (paper App. A.1, ``Core/scheduler.py``): at the end of every stage but the
last, eta <- gamma*eta and eps <- gamma*eps; RAMDA/RMDA restart (t, alpha, V, U <- 0, W0 <- W).
In the final stage ``c_t = min(c*sqrt(i + 1), 1)`` with i the final-stage step (the code's
counter starts at 1 and is incremented before use). Prox baselines decay their lr per stage,
and ProxGen / ProxSSI also multiply Adam's epsilon by gamma (the same ``eps <- gamma*eps`` as
RAMDA's; the spec gives the scheduler for RAMDA/RMDA only, so for the baselines this is our
choice, not the authors').

One Numba kernel runs a whole run; :func:`run_twin` is its NumPy twin (group penalties).
"""

import time

import numpy as np
from numba import njit

from .._validation import as_float_array, check_scalar, check_seed
from ..problems._kernels import logistic_grad, logistic_value, sigmoid
from ..nuclear import matrix_rank, svt
from ..penalties import _group_soft_threshold
from ._trace import Trace
from .ramda_subproblem import (NUCLEAR, RULES, STEPS, check_pg_options, exact_kernel,
                               penalty_arrays, pg_kernel, q_subdiff_distance, q_value,
                               subdiff_distance)

RAMDA, RMDA, PROXSGD, PROXGEN, PROXSSI = 0, 1, 2, 3, 4
METHODS = {"ramda": RAMDA, "rmda": RMDA, "proxsgd": PROXSGD, "proxgen": PROXGEN,
           "proxssi": PROXSSI}
LOSSES = {"logistic": 0, "least_squares": 1}
SCREENS = {None: 0, "sqrt": 1, "public": 2}
# defaults read in the spec (§2.3-2.5, pilot §6.1): (eta, c, eps)
DEFAULTS = {"ramda": (1e-2, 0.1, 1e-6), "rmda": (0.1, 0.1, 0.0), "proxsgd": (0.1, 0.1, 0.0),
            "proxgen": (1e-3, 0.1, 1e-8), "proxssi": (1e-3, 0.1, 1e-6)}


# ------------------------------------------------------------------------------- kernels
@njit(cache=True)
def batch_grad(X, y, w, idx, loss):
    """Minibatch gradient (1/b) sum_{i in idx} grad f_i(w); idx may repeat indices."""
    g = np.zeros(w.size)
    for i in idx:
        z = X[i] @ w
        r = -y[i] * sigmoid(-y[i] * z) if loss == 0 else z - y[i]
        g += r * X[i]
    return g / idx.size


@njit(cache=True)
def _pg_step(Z0, W0, V, P, alpha, thr, lam, order, ptr, kind, m, k, screen_mode, step_mode,
             rule, max_iters, rtol, eps, hist, step_scale):
    """Algorithm 2 on Q(Z) = alpha psi(Z) + <V, Z> + 1/2 (Z - W0)'P(Z - W0) from Z0.

    ``screen_mode``: 1 = ramda_exp's mask alpha*lam*sqrt(n_g), 2 = the public repo's
    alpha*lam, else none. Returns ``(solution, PG iterations)``.
    """
    if screen_mode == 1:
        scr = alpha * thr
    elif screen_mode == 2:
        scr = np.full(ptr.size - 1, alpha * lam)
    else:
        scr = -np.ones(ptr.size - 1)
    What, it, _ = pg_kernel(Z0, W0, V, P, alpha, thr, order, ptr, kind, m, k, step_mode, rule,
                            max_iters, rtol, eps, scr, hist, step_scale)
    return What, it


@njit(cache=True)
def _q_measures(What, W, W0, V, P, alpha, thr, order, ptr, kind, m, k):
    """Relative decrease Q(What) - Q(W) and dist(0, dQ(What)) of the step's subproblem."""
    q_old = q_value(W, W0, V, P, alpha, thr, order, ptr, kind, m, k)
    dec = (q_value(What, W0, V, P, alpha, thr, order, ptr, kind, m, k) - q_old) / (
        1.0 + abs(q_old))
    return dec, q_subdiff_distance(What, W0, V, P, alpha, thr, order, ptr, kind, m, k)


@njit(cache=True)
def full_value_grad(X, y, w, loss):
    """f(w) and grad f(w) over the whole data set."""
    if loss == 0:
        return logistic_value(X, y, w, 0.0), logistic_grad(X, y, w, 0.0)
    r = X @ w - y
    return 0.5 * (r @ r) / y.size, X.T @ r / y.size


@njit(cache=True)
def psi_value(w, thr, order, ptr, kind, m, k):
    """psi(w) for the group penalty (sum_g thr_g ||w_g||) or the nuclear norm."""
    return q_value(w, w, np.zeros(w.size), np.ones(w.size), 1.0, thr, order, ptr, kind, m, k)


@njit(cache=True)
def prox_psi(z, t, thr, order, ptr, kind, m, k):
    """Euclidean prox of t*psi."""
    if kind == NUCLEAR:
        return svt(z, t * thr[0], m, k)
    return _group_soft_threshold(z, t * thr, order, ptr)


@njit(cache=True)
def _structure(w, order, ptr, kind, m, k, supp):
    """Fill the group support of w into ``supp``; return nnz groups (or the rank)."""
    if kind == NUCLEAR:
        return matrix_rank(w, m, k, 1e-12)
    n = 0
    for g in range(ptr.size - 1):
        nz = False
        for j in range(ptr[g], ptr[g + 1]):
            if w[order[j]] != 0.0:
                nz = True
        supp[g] = nz
        n += nz
    return n


@njit(cache=True)
def run_kernel(X, y, loss, kind, order, ptr, thr, lam, m, k, method, W_init, idx_flat,
               idx_ptr, stage_ends, eta0, c0, eps0, gamma, restart, ramp, ramp_cap, eps_in_root,
               rda_decay, solver, step_mode, rule, max_iters, rtol, eps_C, screen_mode,
               beta1, beta2, stat_every, start_anchor, step_scale):
    # minibatch n is idx_flat[idx_ptr[n-1]:idx_ptr[n]] (ragged, so batch sizes may grow)
    T = idx_ptr.size - 1
    d = W_init.size
    G = ptr.size - 1
    S = stage_ends.size
    W = W_init.copy()
    W0 = W_init.copy()
    What = W_init.copy()
    V = np.zeros(d)
    U = np.zeros(d)
    P = np.ones(d)
    mom = np.zeros(d)
    sq = np.zeros(d)
    alpha = 0.0
    t = 0
    eta = eta0
    eps = eps0
    stage = 0
    i_final = 0
    penalized = thr.max() > 0.0
    hist = np.empty((max_iters, 2))
    supp_W = np.zeros((T, G), dtype=np.bool_)
    supp_hat = np.zeros((T, G), dtype=np.bool_)
    nnz_W = np.zeros(T, dtype=np.int64)
    nnz_hat = np.zeros(T, dtype=np.int64)
    pg_it = np.zeros(T, dtype=np.int64)
    c_hist = np.zeros(T)
    alpha_hist = np.zeros(T)
    w_gap = np.zeros(T)
    qdec = np.zeros(T)
    subq = np.zeros(T)
    stage_of = np.zeros(T, dtype=np.int64)
    n_stat = 1 + T // stat_every + (1 if T % stat_every else 0)
    st_step = np.zeros(n_stat, dtype=np.int64)
    st_F = np.zeros(n_stat)
    st_dW = np.zeros(n_stat)
    st_dhat = np.zeros(n_stat)
    st_err = np.full(n_stat, np.nan)
    st_raw = np.full(n_stat, np.nan)
    st_x = np.zeros((n_stat, d))
    st_xhat = np.zeros((n_stat, d))
    f0, g0 = full_value_grad(X, y, W, loss)
    st_F[0] = f0 + psi_value(W, thr, order, ptr, kind, m, k)
    st_dW[0] = subdiff_distance(W, g0, thr, order, ptr, kind, m, k)
    st_dhat[0] = st_dW[0]
    st_x[0] = W
    st_xhat[0] = W
    ks = 1
    for n in range(1, T + 1):
        t += 1
        idx = idx_flat[idx_ptr[n - 1]:idx_ptr[n]]
        Gt = batch_grad(X, y, W, idx, loss)
        is_stat = n % stat_every == 0 or n == T
        if is_stat:
            _, gprev = full_value_grad(X, y, W, loss)
            st_raw[ks] = np.sqrt(np.sum((Gt - gprev) ** 2))
        c = c0
        if ramp and stage == S - 1:
            i_final += 1
            c = min(c0 * np.sqrt(i_final + 1.0), ramp_cap)
        c_hist[n - 1] = c
        stage_of[n - 1] = stage
        if method == RAMDA or method == RMDA:
            if method == RAMDA:
                s = (eta / np.sqrt(t) if rda_decay else eta) * np.sqrt(t)
                alpha += s
                V += s * Gt
                U += s * Gt * Gt
                if eps_in_root:
                    P = np.cbrt(U + eps)
                else:
                    P = np.cbrt(U) + eps
            else:
                beta = np.sqrt(t)
                s = (eta / beta if rda_decay else eta) * beta
                alpha += s
                V += s * Gt
                P = np.full(d, beta)
            if method == RMDA or not penalized:
                What = prox_psi(W0 - V / P, alpha / P[0], thr, order, ptr, kind, m, k) \
                    if method == RMDA else W0 - V / P
            elif solver == 1:
                What = exact_kernel(W0, V, P, alpha, thr, order, ptr)
            else:
                What, pg_it[n - 1] = _pg_step(W0 if start_anchor else W, W0, V, P, alpha,
                                              thr, lam, order, ptr, kind, m, k, screen_mode,
                                              step_mode, rule, max_iters, rtol,
                                              eps_C * t ** -0.6, hist, step_scale)
            qdec[n - 1], subq[n - 1] = _q_measures(What, W, W0, V, P, alpha, thr, order, ptr,
                                                   kind, m, k)
            W = (1.0 - c) * W + c * What
            if is_stat and alpha > 0.0:
                _, gW = full_value_grad(X, y, W, loss)
                st_err[ks] = np.sqrt(np.sum((V / alpha - gW) ** 2))
        elif method == PROXSGD:
            if n == 1:
                mom = c0 * Gt
            else:
                mom = (1.0 - c0) * mom + c0 * Gt
            W = prox_psi(W - eta * mom, eta, thr, order, ptr, kind, m, k)
            What = W.copy()
        else:  # ProxGen (PG) / ProxSSI (exact): Adam moments, subproblem (P-6)
            mom = beta1 * mom + (1.0 - beta1) * Gt
            sq = beta2 * sq + (1.0 - beta2) * Gt * Gt
            bc2 = 1.0 - beta2 ** n
            if method == PROXGEN:
                P = np.sqrt(sq) / np.sqrt(bc2) + eps
            else:  # AdamW's eps sits outside the bias correction of sqrt(v)
                P = (np.sqrt(sq) + eps) / np.sqrt(bc2)
            Vq = (eta / (1.0 - beta1 ** n)) * mom
            if method == PROXSSI or solver == 1:
                What = exact_kernel(W, Vq, P, eta, thr, order, ptr)
            else:
                What, pg_it[n - 1] = _pg_step(W, W, Vq, P, eta, thr, lam, order, ptr, kind, m,
                                              k, screen_mode, step_mode, rule, max_iters, rtol,
                                              eps_C * n ** -0.6, hist, step_scale)
            qdec[n - 1], subq[n - 1] = _q_measures(What, W, W, Vq, P, eta, thr, order, ptr,
                                                   kind, m, k)
            W = What.copy()
        alpha_hist[n - 1] = alpha
        gap2 = 0.0
        for i in range(d):  # no temporary: this runs at every step
            gap2 += (W[i] - What[i]) ** 2
        w_gap[n - 1] = np.sqrt(gap2)
        nnz_W[n - 1] = _structure(W, order, ptr, kind, m, k, supp_W[n - 1])
        nnz_hat[n - 1] = _structure(What, order, ptr, kind, m, k, supp_hat[n - 1])
        if is_stat:
            fW, gW = full_value_grad(X, y, W, loss)
            _, gH = full_value_grad(X, y, What, loss)
            st_step[ks] = n
            st_F[ks] = fW + psi_value(W, thr, order, ptr, kind, m, k)
            st_dW[ks] = subdiff_distance(W, gW, thr, order, ptr, kind, m, k)
            st_dhat[ks] = subdiff_distance(What, gH, thr, order, ptr, kind, m, k)
            st_x[ks] = W
            st_xhat[ks] = What
            ks += 1
        if stage < S - 1 and n == stage_ends[stage]:
            stage += 1
            eta *= gamma
            eps *= gamma
            if restart and (method == RAMDA or method == RMDA):
                t = 0
                alpha = 0.0
                V[:] = 0.0
                U[:] = 0.0
                W0 = W.copy()
    state = np.empty((5, d))
    state[0] = V
    state[1] = U
    state[2] = W0
    state[3] = P
    state[4] = What
    scal = np.array([alpha, t, eta, eps])
    return (W, state, scal, supp_W, supp_hat, nnz_W, nnz_hat, pg_it, c_hist, qdec, subq,
            stage_of, st_step, st_F, st_dW, st_dhat, st_err, st_raw, st_x, st_xhat, alpha_hist,
            w_gap)


# -------------------------------------------------------------------------- public API
def draw_batches(n_samples, T, batch, seed):
    """Minibatch indices drawn with replacement.

    Parameters
    ----------
    n_samples, T : int
    batch : int or array of T ints
        A fixed batch size (returns an array of shape (T, batch)) or one size per step, e.g.
        ``np.arange(1, T + 1)`` for Theorem 4's growing batches (returns a list of T arrays).
    seed : int or numpy Generator
    """
    rng = check_seed(seed)
    if isinstance(batch, (int, np.integer)):
        batch = check_scalar(batch, "batch", low=1, integer=True)
        return rng.integers(0, n_samples, size=(T, batch)).astype(np.int64)
    sizes = np.asarray(batch)
    if sizes.shape != (T,) or not np.issubdtype(sizes.dtype, np.integer) or sizes.min() < 1:
        raise ValueError(f"batch must be an int or T={T} positive integer sizes")
    return [rng.integers(0, n_samples, size=int(b)).astype(np.int64) for b in sizes]


def _flatten_batches(batches, N, T):
    """(flat indices, pointers) from a (T, b) array or a list of T index arrays."""
    if isinstance(batches, (list, tuple)):
        rows = [np.asarray(r) for r in batches]
        if any(r.ndim != 1 or r.size == 0 or not np.issubdtype(r.dtype, np.integer)
               for r in rows):
            raise ValueError("batches must be non-empty 1-D integer index arrays")
    else:
        rows = np.asarray(batches)
        if rows.ndim != 2 or rows.shape[1] == 0 or not np.issubdtype(rows.dtype, np.integer):
            raise ValueError(f"batches must be indices in [0, {N}) of shape (T={T}, b)")
    if len(rows) != T:
        raise ValueError(f"batches must hold T={T} minibatches, got {len(rows)}")
    flat = np.ascontiguousarray(np.concatenate([np.ravel(r) for r in rows]), dtype=np.int64)
    if flat.min() < 0 or flat.max() >= N:
        raise ValueError(f"batches must be indices in [0, {N})")
    ptr = np.concatenate([[0], np.cumsum([np.size(r) for r in rows])]).astype(np.int64)
    return flat, ptr


def stage_ends(T, stages):
    """Cumulative stage ends from an int (equal stages) or a list of stage lengths."""
    if isinstance(stages, (int, np.integer)):
        stages = check_scalar(stages, "stages", low=1, integer=True)
        lengths = [T // stages] * stages
        lengths[-1] += T - sum(lengths)
    else:
        lengths = [int(s) for s in stages]
        if not lengths or min(lengths) < 1 or sum(lengths) != T:
            raise ValueError(f"stages must be positive lengths summing to T={T}")
    return np.cumsum(lengths).astype(np.int64)


def run(method, X, y, penalty, T, loss="logistic", batch=32, seed=0, batches=None,
        stages=1, eta=None, c=None, eps=None, gamma=0.1, restart=True, ramp=True,
        ramp_cap=1.0, eps_in_root=False, rda_decay=False, solver="pg", step="group",
        rule="code", max_iters=100, rtol=1e-8, eps_C=1e-2, screening=None,
        betas=(0.9, 0.999), W_init=None, stat_every=None, start_anchor=False, step_scale=1.0):
    """Run one method of the RAMDA paper for ``T`` minibatch steps.

    Parameters
    ----------
    method : {"ramda", "rmda", "proxsgd", "proxgen", "proxssi"}
    X : ndarray (N, d); y : ndarray (N,)
        The fixed finite data set (labels in {-1, +1} for the logistic loss).
    penalty : L1, GroupL1 or NuclearNorm
        psi (``lam = 0`` gives MDA / MADGRAD-type unregularized runs).
    T : int
        Number of steps (gradient evaluations on minibatches).
    loss : {"logistic", "least_squares"}
        f = 1/N sum_i log(1 + exp(-y_i x_i'w)) or 1/(2N) ||Xw - y||^2.
    batch, seed, batches
        Minibatch size and seed, or pre-drawn indices: an array (T, batch) or a list of T
        index arrays of any sizes (growing batches; see :func:`draw_batches`).
    stages : int or list of int
        Stage lengths for the stage-wise schedule (1 = constant parameters).
    eta, c, eps
        Step size (lr), momentum c (RAMDA/RMDA averaging weight; ProxSGD buffer weight) and
        the epsilon of P_t (RAMDA) or of Adam's denominator. Defaults in :data:`DEFAULTS`.
    gamma : float
        Per-stage decay of eta and eps.
    restart, ramp, ramp_cap
        Stage-wise restart; final-stage ramp c_t = min(c sqrt(i+1), ramp_cap).
    eps_in_root : bool
        Put eps inside the cube root (a deliberate error; the paper adds it outside).
    rda_decay : bool
        RMDA / RAMDA with eta_t = eta / sqrt(t) (so s_t = eta: the RDA case for RMDA).
    solver : {"pg", "exact"}
        Subproblem solver for RAMDA / ProxGen (ProxSSI always uses the exact one).
    step, rule, max_iters, rtol, eps_C, screening
        PG options (see :func:`~sketchopt.methods.ramda_subproblem.pg_solve`); the (P-7)
        target is eps_t = eps_C * t^-0.6.
    betas : tuple
        Adam's (beta1, beta2) for ProxGen / ProxSSI.
    W_init : ndarray or None
        Starting point (zero by default, as the paper's logistic-regression run).
    stat_every : int or None
        Full-data statistics every this many steps (default T // 100).
    start_anchor : bool
        Start PG at W0 instead of W_{t-1} (a misreading of Algorithm 1's "W^t"; the code and
        (P-7)'s second half use W_{t-1}).
    step_scale : float
        Multiplies PG's step 1/L (1 is the paper's; past 2 is a deliberate error).

    Returns
    -------
    Trace
        ``x`` holds W at the statistics steps ``steps``. ``stats``: ``F``, ``dist_W``,
        ``dist_hat`` (dist(0, dF) at W_t and What_t), ``dual_err`` (||V_t/alpha_t - grad f(W_t)||)
        ``raw_noise`` (||G_t - grad f(W_{t-1})||) and ``What`` (the subproblem solutions)
        at those steps; per step: ``supp_W``,
        ``supp_hat`` (T, n_groups booleans, exact zeros), ``nnz_W``, ``nnz_hat`` (nonzero groups,
        or rank for the nuclear norm), ``pg_iters``, ``c``, ``q_decrease``
        (Q_t(What_t) - Q_t(W_{t-1})), ``q_dist`` (dist(0, dQ_t(What_t))), ``stage``,
        ``alpha`` (alpha_t, RAMDA/RMDA) and ``w_gap`` (||W_t - What_t||).
        ``meta["state"]``: final V, U, W0, P, What, alpha, t, eta, eps.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    X = np.ascontiguousarray(as_float_array(X, "X", ndim=2))
    N, d = X.shape
    y = np.ascontiguousarray(as_float_array(y, "y", ndim=1))
    if y.size != N:
        raise ValueError(f"y must have length {N}, got {y.size}")
    if loss == "logistic" and not np.all(np.abs(y) == 1.0):
        raise ValueError("y must contain only -1 and +1 labels for the logistic loss")
    T = check_scalar(T, "T", low=1, integer=True)
    if batches is None:
        batch = check_scalar(batch, "batch", low=1, integer=True)
        batches = draw_batches(N, T, batch, seed)
    idx_flat, idx_ptr = _flatten_batches(batches, N, T)
    de, dc, dp = DEFAULTS[method]
    eta = check_scalar(de if eta is None else eta, "eta", low=0.0, low_open=True)
    c = check_scalar(dc if c is None else c, "c", low=0.0, high=1.0, low_open=True)
    eps = check_scalar(dp if eps is None else eps, "eps", low=0.0)
    if method == "ramda" and eps == 0.0:
        raise ValueError("eps must be > 0 for RAMDA (it makes the subproblem strongly convex)")
    gamma = check_scalar(gamma, "gamma", low=0.0, high=1.0, low_open=True)
    ramp_cap = check_scalar(ramp_cap, "ramp_cap", low=0.0, high=1.0, low_open=True)
    if solver not in ("pg", "exact"):
        raise ValueError(f"solver must be 'pg' or 'exact', got {solver!r}")
    max_iters, rtol, step_scale = check_pg_options(rule, step, max_iters, rtol, step_scale)
    if screening not in SCREENS:
        raise ValueError(f"screening must be None, 'sqrt' or 'public', got {screening!r}")
    eps_C = check_scalar(eps_C, "eps_C", low=0.0)
    b1, b2 = (check_scalar(b, "betas", low=0.0, high=1.0, high_open=True) for b in betas)
    pa = penalty_arrays(penalty, d)
    if pa.kind == NUCLEAR and (method == "proxssi" or solver == "exact"):
        raise ValueError("solver: the exact root solver needs an L1 or GroupL1 penalty")
    step_mode = STEPS["global"] if pa.kind == NUCLEAR else STEPS[step]
    W_init = np.zeros(d) if W_init is None else np.ascontiguousarray(
        as_float_array(W_init, "W_init", ndim=1))
    if W_init.size != d:
        raise ValueError(f"W_init must have length {d}, got {W_init.size}")
    ends = stage_ends(T, stages)
    stat_every = max(1, T // 100) if stat_every is None else check_scalar(
        stat_every, "stat_every", low=1, integer=True)
    t0 = time.perf_counter()
    out = run_kernel(X, y, LOSSES[loss], pa.kind, pa.order, pa.ptr, pa.thr, pa.lam, pa.m, pa.k,
                     METHODS[method], W_init, idx_flat, idx_ptr, ends, eta, c, eps, gamma,
                     restart,
                     ramp and ends.size > 1, ramp_cap, eps_in_root, rda_decay,
                     1 if solver == "exact" else 0, step_mode, RULES[rule], max_iters, rtol,
                     eps_C, SCREENS[screening], b1, b2, stat_every, bool(start_anchor),
                     step_scale)
    seconds = time.perf_counter() - t0
    sizes = np.diff(idx_ptr)
    (W, state, scal, supp_W, supp_hat, nnz_W, nnz_hat, pg_it, c_hist, qdec, subq, stage_of,
     st_step, st_F, st_dW, st_dhat, st_err, st_raw, st_x, st_xhat, alpha_hist, w_gap) = out
    stats = {"F": st_F, "dist_W": st_dW, "dist_hat": st_dhat, "dual_err": st_err,
             "raw_noise": st_raw, "supp_W": supp_W, "supp_hat": supp_hat, "nnz_W": nnz_W,
             "nnz_hat": nnz_hat, "pg_iters": pg_it, "c": c_hist, "q_decrease": qdec,
             "q_dist": subq, "stage": stage_of, "What": st_xhat, "alpha": alpha_hist,
             "w_gap": w_gap}
    meta = {"method": method, "eta": eta, "c": c, "eps": eps, "gamma": gamma,
            "stage_ends": ends, "batch": sizes[0] if np.all(sizes == sizes[0]) else sizes,
            "W": W,
            "state": {"V": state[0], "U": state[1], "W0": state[2], "P": state[3],
                      "What": state[4], "alpha": scal[0], "t": int(scal[1]),
                      "eta": scal[2], "eps": scal[3]}}
    evals = {"minibatch": T, "samples": int(idx_flat.size),
             "subproblem_iters": int(pg_it.sum())}
    return Trace(st_step, st_x, stats, evals, seconds, meta)


def ramda(X, y, penalty, T, **kw):
    """RAMDA (Algorithm 1); see :func:`run`."""
    return run("ramda", X, y, penalty, T, **kw)


def rmda(X, y, penalty, T, **kw):
    """RMDA (P_t = sqrt(t) I, closed-form subproblem); see :func:`run`."""
    return run("rmda", X, y, penalty, T, **kw)


def mda(X, y, T, **kw):
    """MDA: RMDA with psi = 0."""
    from ..penalties import L1
    return run("rmda", X, y, L1(0.0), T, **kw)


def proxsgd(X, y, penalty, T, **kw):
    """ProxSGD with a momentum buffer and unit step (exactly sparse iterates)."""
    return run("proxsgd", X, y, penalty, T, **kw)


def proxgen(X, y, penalty, T, **kw):
    """ProxGen (ProxAdamW): Adam moments, subproblem (P-6) by the PG solver."""
    return run("proxgen", X, y, penalty, T, **kw)


def proxssi(X, y, penalty, T, **kw):
    """ProxSSI: Adam moments, subproblem solved exactly (per-group scalar root)."""
    return run("proxssi", X, y, penalty, T, **kw)


def madgrad(X, y, batches, lr=1e-2, momentum=0.9, eps=1e-6, loss="logistic", W_init=None):
    """MADGRAD (facebookresearch/madgrad update) on the same minibatches; returns the iterates
    (T+1, d). Reference for RAMDA with psi = 0 (spec §2.2): lambda_k = (lr+eps) sqrt(k+1)."""
    X = as_float_array(X, "X", ndim=2)
    x0 = np.zeros(X.shape[1]) if W_init is None else np.array(W_init, dtype=float)
    x, s, v, out = x0.copy(), np.zeros_like(x0), np.zeros_like(x0), [x0.copy()]
    c = 1.0 - momentum
    for kk, idx in enumerate(np.asarray(batches)):
        g = batch_grad(X, y, x, idx, LOSSES[loss])
        lam_k = (lr + eps) * np.sqrt(kk + 1)
        s += lam_k * g
        v += lam_k * g * g
        z = x0 - s / (np.cbrt(v) + eps)
        x = (1.0 - c) * x + c * z
        out.append(x.copy())
    return np.array(out)


def rda(X, y, penalty, batches, gamma_rda, loss="logistic"):
    """RDA (Xiao 2010, as in spec §2.1): w_{t+1} = -(sqrt(t)/gamma) * group-shrink of the
    averaged gradient at lam_g. Returns the iterates (T+1, d), w_1 = 0."""
    X = as_float_array(X, "X", ndim=2)
    pa = penalty_arrays(penalty, X.shape[1])
    w, gsum, out = np.zeros(X.shape[1]), np.zeros(X.shape[1]), [np.zeros(X.shape[1])]
    for t, idx in enumerate(np.asarray(batches), start=1):
        gsum += batch_grad(X, y, w, idx, LOSSES[loss])
        w = -(np.sqrt(t) / gamma_rda) * _group_soft_threshold(gsum / t, pa.thr, pa.order,
                                                              pa.ptr)
        out.append(w.copy())
    return np.array(out)


# --------------------------------------------------------------------------------- twin
def _np_group_prox(z, t, groups):
    out = np.zeros_like(z)
    for g, idx in enumerate(groups):
        nz = np.linalg.norm(z[idx])
        if nz > t[g]:
            out[idx] = (1 - t[g] / nz) * z[idx]
    return out


def _np_pg(Z, W0, V, P, alpha, thr, groups, max_iters, rtol):
    """Algorithm 2 with per-group steps and the code's stopping rule (NumPy)."""
    theta = np.empty_like(P)
    for idx in groups:
        theta[idx] = 1.0 / P[idx].max()

    def q(Z):
        D = Z - W0
        return V @ D + 0.5 * np.sum(P * D * D) + alpha * sum(
            thr[g] * np.linalg.norm(Z[idx]) for g, idx in enumerate(groups))
    step_thr = np.array([theta[idx[0]] * alpha * thr[g] for g, idx in enumerate(groups)])
    q_prev, it = q(Z), 0
    for j in range(1, max_iters + 1):
        Z = _np_group_prox(Z - theta * (V + P * (Z - W0)), step_thr, groups)
        qj, it = q(Z), j
        if j >= 2 and (q_prev - qj) / (abs(qj) + 1) < rtol:
            break
        q_prev = qj
    return Z, it


def run_twin(method, X, y, penalty, batches, eta, c, eps=1e-6, loss="logistic",
             max_iters=100, rtol=1e-8, betas=(0.9, 0.999)):
    """NumPy twin of :func:`run` for group penalties, one stage, PG (code rule, per-group
    steps, no screening). ``batches`` is a (T, b) array or a list of T index arrays.
    Returns (W_t, What_t, pg iterations) for t = 1..T."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    pa = penalty_arrays(penalty, X.shape[1])
    groups = [pa.order[pa.ptr[g]:pa.ptr[g + 1]] for g in range(pa.n_groups)]
    lo = LOSSES[loss]
    d = X.shape[1]
    W, W0, V, U, mom, sq, alpha = (np.zeros(d), np.zeros(d), np.zeros(d), np.zeros(d),
                                   np.zeros(d), np.zeros(d), 0.0)
    Ws, Whats, its = [], [], []
    for t, idx in enumerate(batches, start=1):
        G = batch_grad(X, y, W, np.asarray(idx, dtype=np.int64), lo)
        it = 0
        if method == "ramda":
            s = eta * np.sqrt(t)
            alpha, V, U = alpha + s, V + s * G, U + s * G * G
            What, it = _np_pg(W, W0, V, np.cbrt(U) + eps, alpha, pa.thr, groups, max_iters, rtol)
            W = (1 - c) * W + c * What
        elif method == "rmda":
            s = eta * np.sqrt(t)
            alpha, V = alpha + s, V + s * G
            What = _np_group_prox(W0 - V / np.sqrt(t), alpha / np.sqrt(t) * pa.thr, groups)
            W = (1 - c) * W + c * What
        elif method == "proxsgd":
            mom = c * G if t == 1 else (1 - c) * mom + c * G
            W = What = _np_group_prox(W - eta * mom, eta * pa.thr, groups)
        else:
            b1, b2 = betas
            mom, sq = b1 * mom + (1 - b1) * G, b2 * sq + (1 - b2) * G * G
            D = np.sqrt(sq) / np.sqrt(1 - b2 ** t) + eps
            Vq = eta / (1 - b1 ** t) * mom
            What, it = _np_pg(W, W, Vq, D, eta, pa.thr, groups, max_iters, rtol)
            W = What
        Ws.append(W.copy())
        Whats.append(What.copy())
        its.append(it)
    return np.array(Ws), np.array(Whats), np.array(its)


def _warmup():
    from ..nuclear import NuclearNorm
    from ..penalties import GroupL1
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 4))
    y = np.where(rng.random(8) < 0.5, 1.0, -1.0)
    pen = GroupL1(0.05, 2, d=4, weights="sqrt")
    for m in METHODS:
        run(m, X, y, pen, 4, batch=2, stages=2, stat_every=2, screening="sqrt")
    run("ramda", X, y, pen, 3, batch=2, solver="exact", loss="least_squares")
    run("ramda", X, y, NuclearNorm(0.05, (2, 2)), 3, batch=2)
    run("rmda", X, y, NuclearNorm(0.05, (2, 2)), 3, batch=2)
