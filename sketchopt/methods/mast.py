"""MAST methods (spec A1-A4): double sketched SGD, GD on f_D, L-SVRDSG, distributed DSGD.

All sketches are diagonal and stored as index sets, so a step touches only the kept
coordinates: with ``w = s o (x - v)`` supported on the kept set Omega,
``grad f_S(x) = s o grad f(v + w)`` and, for a quadratic with ``g_v = A v - b`` precomputed,
``grad f(v + w)_i = g_v,i + sum_{j in Omega} A_ij w_j``: O(|Omega|^2) work per step, O(n |Omega|)
for logistic regression (margins updated from the kept columns only).

Each method is one Numba kernel call per run plus a short NumPy twin (``*_twin``) that is the
readable definition; the twins take the same draws and must give the same iterates.
"""

import time

import numpy as np
from numba import njit

from .._validation import as_float_array, check_scalar, check_symmetric_pd, check_vector
from ..problems._kernels import sigmoid
from ..sketches import Bernoulli, PermK, RandK, as_index_sets, _seed_int
from ._trace import Trace

# ----------------------------------------------------------------------------- kernels


@njit(cache=True)
def _quad_sketched_grad(A, gv, v, x, scale, sel, c, out):
    """``out[a] = (grad f_S(x))_{sel[a]}`` for a quadratic; O(c^2)."""
    w = np.empty(c)
    for a in range(c):
        j = sel[a]
        w[a] = scale[j] * (x[j] - v[j])
    for a in range(c):
        i = sel[a]
        gi = gv[i]
        for bb in range(c):
            gi += A[i, sel[bb]] * w[bb]
        out[a] = scale[i] * gi


@njit(cache=True)
def _sketched_quadratic_run(As, gvs, v, x0, step, scales, idx, cnt, every):
    """DSGD option I for M >= 1 quadratic nodes: ``x -= step/M sum_m S_m grad f_m(v + S_m(x-v))``.

    ``idx`` (T, M, k) holds the kept indices (first ``cnt[t, m]`` entries are valid).
    Returns the iterates every ``every`` steps.
    """
    T, M = cnt.shape
    d = x0.shape[0]
    xs = np.empty((T // every + 1, d))
    xs[0] = x0
    x = x0.copy()
    upd = np.zeros(d)
    g = np.empty(idx.shape[2])
    for t in range(T):
        for m in range(M):
            c = cnt[t, m]
            _quad_sketched_grad(As[m], gvs[m], v, x, scales[m], idx[t, m], c, g)
            for a in range(c):
                upd[idx[t, m, a]] += g[a]
        # apply after all nodes have read x^t; a coordinate shared by nodes is applied once
        for m in range(M):
            for a in range(cnt[t, m]):
                i = idx[t, m, a]
                x[i] -= step / M * upd[i]
                upd[i] = 0.0
        if (t + 1) % every == 0:
            xs[(t + 1) // every] = x
    return xs


@njit(cache=True)
def _sketched_logistic_run(ZT, y, l2, v, Zv, x0, step, scale, idx, cnt, rows, every):
    """DSGD on l2-logistic regression; option I if ``rows`` has 0 columns (all data),
    option II (data minibatch ``rows[t]`` at the sketched model) otherwise.

    ``ZT`` is the transposed design (d, n), so a kept column is a contiguous row: margins are
    updated column by column and the gradient entries are contiguous dot products, O(n K).
    """
    T = cnt.shape[0]
    d, n = ZT.shape
    nb = rows.shape[1]
    m_rows = n if nb == 0 else nb
    xs = np.empty((T // every + 1, d))
    xs[0] = x0
    x = x0.copy()
    w = np.empty(idx.shape[1])
    coef = np.empty(m_rows)
    for t in range(T):
        c = cnt[t]
        for a in range(c):
            j = idx[t, a]
            w[a] = scale[j] * (x[j] - v[j])
        # margins of the sketched model v + S(x - v): only the kept columns change them
        for r in range(m_rows):
            coef[r] = Zv[r if nb == 0 else rows[t, r]]
        for a in range(c):
            j = idx[t, a]
            wa = w[a]
            if nb == 0:
                for r in range(n):
                    coef[r] += ZT[j, r] * wa
            else:
                for r in range(nb):
                    coef[r] += ZT[j, rows[t, r]] * wa
        for r in range(m_rows):
            i = r if nb == 0 else rows[t, r]
            coef[r] = -y[i] * sigmoid(-y[i] * coef[r]) / m_rows
        for a in range(c):
            j = idx[t, a]
            gj = l2 * (v[j] + w[a])
            if nb == 0:
                gj += np.dot(ZT[j], coef)  # BLAS: a contiguous row of the kept column
            else:
                for r in range(nb):
                    gj += ZT[j, rows[t, r]] * coef[r]
            w[a] = scale[j] * gj  # w is no longer needed at a: reuse it for the gradient
        for a in range(c):
            x[idx[t, a]] -= step * w[a]
        if (t + 1) % every == 0:
            xs[(t + 1) // every] = x
    return xs


@njit(cache=True)
def _lsvrdsg_quadratic_run(A, gv, v, x0, step, scale, sets, batches, draws, refresh, every):
    """L-SVRDSG over the finite sketch set ``sets`` (N, K) (spec A3, reconstruction).

    ``g = grad f_{S_j}(x) - grad f_{S_j}(w) + G``; with probability p (``refresh[t]``) the
    reference moves to ``w = x^t`` and ``G`` is re-averaged over the next batch of sketches.
    """
    T = draws.shape[0]
    d = x0.shape[0]
    b, K = batches.shape[1], sets.shape[1]
    xs = np.empty((T // every + 1, d))
    xs[0] = x0
    x = x0.copy()
    w = x0.copy()
    G = np.zeros(d)
    gx = np.empty(K)
    gw = np.empty(K)
    nxt = 0

    for k in range(b):
        sel = sets[batches[nxt, k]]
        _quad_sketched_grad(A, gv, v, w, scale, sel, K, gx)
        for a in range(K):
            G[sel[a]] += gx[a] / b
    nxt += 1
    for t in range(T):
        sel = sets[draws[t]]
        _quad_sketched_grad(A, gv, v, x, scale, sel, K, gx)
        _quad_sketched_grad(A, gv, v, w, scale, sel, K, gw)
        if refresh[t]:
            w[:] = x
        for i in range(d):
            x[i] -= step * G[i]
        for a in range(K):
            x[sel[a]] -= step * (gx[a] - gw[a])
        if refresh[t]:
            G[:] = 0.0
            for k in range(b):
                s2 = sets[batches[nxt, k]]
                _quad_sketched_grad(A, gv, v, w, scale, s2, K, gw)
                for a in range(K):
                    G[s2[a]] += gw[a] / b
            nxt += 1
        if (t + 1) % every == 0:
            xs[(t + 1) // every] = x
    return xs


# ----------------------------------------------------------------------------- twins

def sketched_quadratic_twin(As, bs, v, x0, step, vals):
    """NumPy twin of distributed/single-node DSGD: ``vals`` (T, M, d) sketch diagonals."""
    xs = [np.array(x0, dtype=float)]
    for s in vals:
        x = xs[-1]
        g = np.mean([si * (A @ (v + si * (x - v)) - b) for si, A, b in zip(s, As, bs)], axis=0)
        xs.append(x - step * g)
    return np.array(xs)


def sketched_logistic_twin(X, y, l2, v, x0, step, vals, rows=None):
    """NumPy twin of logistic DSGD (option I if ``rows`` is None)."""
    xs = [np.array(x0, dtype=float)]
    for t, s in enumerate(vals):
        z = v + s * (xs[-1] - v)
        r = np.arange(X.shape[0]) if rows is None else rows[t]
        m = X[r] @ z
        grad = X[r].T @ (-y[r] / (1 + np.exp(y[r] * m))) / len(r) + l2 * z
        xs.append(xs[-1] - step * s * grad)
    return np.array(xs)


def lsvrdsg_quadratic_twin(A, b, v, x0, step, set_vals, batches, draws, refresh):
    """NumPy twin of L-SVRDSG; ``set_vals`` (N, d) are the diagonals of the sketch set."""
    grad = lambda s, z: s * (A @ (v + s * (z - v)) - b)  # noqa: E731
    x, w = np.array(x0, dtype=float), np.array(x0, dtype=float)
    G = np.mean([grad(set_vals[j], w) for j in batches[0]], axis=0)
    xs, nxt = [x.copy()], 1
    for j, ref in zip(draws, refresh):
        s = set_vals[j]
        x_new = x - step * (grad(s, x) - grad(s, w) + G)
        if ref:
            w = x.copy()
            G = np.mean([grad(set_vals[k], w) for k in batches[nxt]], axis=0)
            nxt += 1
        x = x_new
        xs.append(x.copy())
    return np.array(xs)


# ----------------------------------------------------------------------------- public API

def _check_common(x0, d, step, T, every):
    x0 = check_vector(x0, "x0", size=d)
    step = check_scalar(step, "step", low=0.0, low_open=True)
    T = check_scalar(T, "T", low=0, integer=True)
    every = check_scalar(every, "every", low=1, integer=True)
    return x0, step, T, every


def _steps(T, every):
    return np.arange(T // every + 1) * every


def dsgd_quadratic(A, b, v, sketch, x0, step, T, seed=0, every=1):
    """Double sketched GD, option I (exact sketched gradient), on ``1/2 x'Ax - b'x`` (A1).

    Parameters
    ----------
    A, b : the quadratic; v : shift (ndarray of shape (d,)).
    sketch : Bernoulli or RandK
    x0 : starting point; step : step size (> 0); T : number of steps.
    seed : int, drives the sketch draws; every : record every this many steps.

    Returns
    -------
    Trace
        Iterates at steps 0, every, 2 every, ...; ``grad_evals["coords"]`` counts the
        coordinates touched (the work is O(sum |Omega_t|^2), never O(d^2) per step).
    """
    A = check_symmetric_pd(A, "A")
    d = A.shape[0]
    b, v = check_vector(b, "b", size=d), check_vector(v, "v", size=d)
    x0, step, T, every = _check_common(x0, d, step, T, every)
    _check_sketch(sketch, d)
    idx, cnt = as_index_sets(sketch, T, seed)
    t0 = time.perf_counter()
    xs = _sketched_quadratic_run(A[None], (A @ v - b)[None], v, x0, step, sketch.scale[None],
                                 np.ascontiguousarray(idx[:, None, :]),
                                 np.ascontiguousarray(cnt[:, None]), every)
    return Trace(_steps(T, every), xs, grad_evals={"f": T, "coords": int(cnt.sum())},
                 seconds=time.perf_counter() - t0,
                 meta={"method": "dsgd", "option": "I", "step": step, "sketch": repr(sketch)})


def gd_fd_quadratic(mq, x0, step, T, every=1):
    """GD on f_D for a quadratic (A2): GD on ``1/2 (x-v)'H(x-v) + g_v'(x-v)`` with
    ``mq = oracles.mast_quadratic(...)``; reuses the baseline GD kernel."""
    from .baselines import gd_quadratic
    from ..problems import Quadratic
    x0, step, T, every = _check_common(x0, mq.d, step, T, every)
    quad = Quadratic(mq.H, mq.H @ mq.v - (mq.A @ mq.v - mq.b))
    tr = gd_quadratic(quad, x0, step, T)
    tr.x, tr.steps = tr.x[::every], tr.steps[::every]
    tr.meta = {"method": "gd_fD", "step": step}
    return tr


def dsgd_logistic(X, y, l2, v, sketch, x0, step, T, seed=0, batch=None, every=1):
    """DSGD on l2-regularised logistic regression (A1).

    ``batch=None`` is option I (exact sketched gradient over all n points); an integer is
    option II (a uniform data minibatch, with replacement, at the sketched model).
    Work per step is O(n |Omega|) or O(batch |Omega|).
    """
    from ..problems.logistic import check_labels
    X = as_float_array(X, "X", ndim=2)
    n, d = X.shape
    y = check_labels(y, n)
    l2 = check_scalar(l2, "l2", low=0.0)
    v = check_vector(v, "v", size=d)
    x0, step, T, every = _check_common(x0, d, step, T, every)
    _check_sketch(sketch, d)
    idx, cnt = as_index_sets(sketch, T, seed)
    if batch is None:
        rows = np.zeros((T, 0), dtype=np.int64)
    else:
        batch = check_scalar(batch, "batch", low=1, integer=True)
        rows = data_rows(n, batch, T, seed)
    ZT = np.ascontiguousarray(X.T)
    t0 = time.perf_counter()
    xs = _sketched_logistic_run(ZT, y, l2, v, X @ v, x0, step, sketch.scale, idx, cnt, rows,
                                every)
    return Trace(_steps(T, every), xs, grad_evals={"f": T, "coords": int(cnt.sum())},
                 seconds=time.perf_counter() - t0,
                 meta={"method": "dsgd", "option": "I" if batch is None else "II",
                       "step": step, "batch": batch, "sketch": repr(sketch)})


def data_rows(n, batch, T, seed):
    """Option II data minibatches (T, batch), uniform with replacement (own stream of ``seed``)."""
    return np.random.default_rng(_seed_int(seed) + 1).integers(0, n, size=(T, batch))


def lsvrdsg_draws(N, b, p, T, seed):
    """Random draws of L-SVRDSG: batches (R, b) without replacement, sketch indices (T,),
    refresh coins (T,)."""
    rng = np.random.default_rng(_seed_int(seed))
    draws = rng.integers(0, N, size=T)
    refresh = rng.random(T) < p
    R = int(refresh.sum()) + 1
    batches = np.argsort(rng.random((R, N)), axis=1)[:, :b] if b < N else \
        np.tile(np.arange(N), (R, 1))
    return batches.astype(np.int64), draws, refresh


def lsvrdsg_sketch_set(sketch):
    """The kept-index sets (N, K) of all C(d, K) Rand-K outcomes, in enumeration order."""
    vals, _ = sketch.enumerate()
    return np.array([np.flatnonzero(s) for s in vals], dtype=np.int64)


def lsvrdsg_quadratic(A, b, v, sketch, x0, step, T, batch, p, seed=0, every=1):
    """L-SVRDSG on a quadratic with the finite set of all C(d, K) Rand-K sketches (A3).

    Parameters
    ----------
    batch : int
        Number of sketches averaged into the reference gradient (``batch = N`` is exact).
    p : float
        Probability of refreshing the reference point at each step.

    Provenance: reconstruction on the L-SVRG template (spec A3); exact pseudocode unknown.
    """
    A = check_symmetric_pd(A, "A")
    d = A.shape[0]
    b, v = check_vector(b, "b", size=d), check_vector(v, "v", size=d)
    x0, step, T, every = _check_common(x0, d, step, T, every)
    if not isinstance(sketch, RandK):
        raise ValueError("sketch must be a RandK (its C(d, K) subsets form the sketch set)")
    sets = lsvrdsg_sketch_set(sketch)
    N = len(sets)
    batch = check_scalar(batch, "batch", low=1, high=N, integer=True)
    p = check_scalar(p, "p", low=0.0, high=1.0, low_open=True)
    batches, draws, refresh = lsvrdsg_draws(N, batch, p, T, seed)
    t0 = time.perf_counter()
    xs = _lsvrdsg_quadratic_run(A, A @ v - b, v, x0, step, sketch.scale, sets, batches, draws,
                                refresh, every)
    return Trace(_steps(T, every), xs,
                 grad_evals={"f": 2 * T + batch * (int(refresh.sum()) + 1)},
                 seconds=time.perf_counter() - t0,
                 meta={"method": "lsvrdsg", "step": step, "batch": batch, "p": p, "N": N})


def distributed_draws(sketch, M, T, seed):
    """Per-node index sets (T, M, k) for Perm-K or independent Rand-K nodes, and scales."""
    if isinstance(sketch, PermK):
        if sketch.M != M:
            raise ValueError(f"sketch has M={sketch.M} nodes, the problem has {M}")
        idx = sketch.sample(T, seed)
        return idx, np.tile(sketch.marginal().scale, (M, 1))
    if isinstance(sketch, RandK):
        seeds = np.random.SeedSequence(_seed_int(seed)).generate_state(M)
        idx = np.stack([sketch.sample(T, int(s) % (2 ** 31 - 1)) for s in seeds], axis=1)
        return idx, np.tile(sketch.scale, (M, 1))
    raise ValueError("sketch must be PermK (joint) or RandK (independent per node)")


def distributed_dsgd_quadratic(As, bs, v, sketch, x0, step, T, seed=0, every=1):
    """Distributed double sketched GD (A4) on heterogeneous quadratic nodes.

    The server samples one sketch per node (``PermK``: a joint random partition;
    ``RandK``: independent per node), node m returns ``S_m grad f_m(v + S_m(x - v))`` and
    the server averages. Work per round is O(M K^2).
    """
    As = as_float_array(As, "As", ndim=3)
    M, d, _ = As.shape
    bs = as_float_array(bs, "bs", ndim=2)
    if bs.shape != (M, d):
        raise ValueError(f"bs must have shape {(M, d)}, got {bs.shape}")
    v = check_vector(v, "v", size=d)
    x0, step, T, every = _check_common(x0, d, step, T, every)
    if getattr(sketch, "d", None) != d:
        raise ValueError(f"sketch must have dimension {d}")
    idx, scales = distributed_draws(sketch, M, T, seed)
    cnt = np.full((T, M), idx.shape[2], dtype=np.int64)
    gvs = np.einsum("mij,j->mi", As, v) - bs
    t0 = time.perf_counter()
    xs = _sketched_quadratic_run(As, gvs, v, x0, step, scales, idx, cnt, every)
    return Trace(_steps(T, every), xs, grad_evals={"f": T * M},
                 seconds=time.perf_counter() - t0,
                 meta={"method": "distributed_dsgd", "step": step, "sketch": repr(sketch)})


def _check_sketch(sketch, d):
    if not isinstance(sketch, (Bernoulli, RandK)):
        raise ValueError(f"sketch must be Bernoulli or RandK, got {type(sketch).__name__}")
    if sketch.d != d:
        raise ValueError(f"sketch has dimension {sketch.d}, the problem has {d}")


def _warmup():
    A = np.eye(3)
    z = np.zeros(3)
    dsgd_quadratic(A, np.ones(3), z, RandK(3, 2), z, 0.1, 2)
    dsgd_quadratic(A, np.ones(3), z, Bernoulli(0.5, 3), z, 0.1, 2)
    X = np.eye(3)
    y = np.array([1.0, -1.0, 1.0])
    dsgd_logistic(X, y, 0.1, z, RandK(3, 2), z, 0.1, 2)
    dsgd_logistic(X, y, 0.1, z, RandK(3, 2), z, 0.1, 2, batch=1)
    lsvrdsg_quadratic(A, np.ones(3), z, RandK(3, 2), z, 0.1, 2, 2, 0.5)
    distributed_dsgd_quadratic(np.stack([A, A]), np.ones((2, 4))[:, :3], z, RandK(3, 1), z,
                               0.1, 2)
