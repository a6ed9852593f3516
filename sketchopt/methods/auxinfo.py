"""AuxMOM and AuxMVR (optimisation with access to auxiliary information) and their baselines.

Provenance (spec ``auxinfo.md``): only the *skeleton* of Algorithm 1 is the paper's: per outer
step, sample ``g_{f-h}(x_{t-1})``, update a momentum-like estimate ``m_t`` of
``grad f - grad h``, then take ``K`` steps from ``y_0 = x_{t-1}`` using h-gradients and ``m_t``.
The update rules below are RECONSTRUCTIONS (the paper's text was not available):

* ``variant="V1"`` (literal reading of the skeleton): ``m_t`` averages the difference
  ``g_f(x_{t-1}; xi_t) - g_h(x_{t-1}; xi_t)`` (EMA for AuxMOM, STORM recursion for AuxMVR) and
  the inner direction is ``g_h(y_{k-1}; xi_{t,k}) + m_t``.
* ``variant="V2"`` (makes "K = 1 is SGD with momentum" exact): ``m_t`` averages f-gradients only
  (EMA for AuxMOM; STORM for AuxMVR as defined in CLAIMS.md) and the inner direction is the
  SVRG-style ``g_h(y_{k-1}; xi_{t,k}) - g_h(x_{t-1}; xi_t) + m_t``.

With ``a = 1`` both variants are the bias-corrected local steps ``g_h(y) - g_h(x) + g_f(x)``.
``m`` starts from the first sample (``init="sample"``) or from 0 (``init="zero"``).
``share_first=True`` makes the first inner h-gradient reuse the anchor sample ``xi_t`` (so it is
not a new evaluation); with it, V2 with K = 1 is exactly SGD with EMA momentum on f.

Baselines: SGD, SGD with EMA momentum and MVR/STORM on one function (:func:`first_order`), the
naive method (SGD on h only), fine-tuning (h first, then f). Every method is one Numba kernel call
with a NumPy twin (``*_twin``) driven by the same pre-drawn randomness
(:mod:`sketchopt.methods.auxinfo_noise`).
"""

import time

import numpy as np
from numba import njit

from .._validation import check_scalar, check_vector
from ..problems._kernels import sigmoid
from ..problems.least_squares import LeastSquares
from ..problems.logistic import Logistic
from ..problems.pairs import LOGISTIC, QUADRATIC, Pair, kernel_spec, n_samples
from ._trace import Trace
from .auxinfo_noise import NoiseModel, check_draws, check_single_draws

AUXMOM, AUXMVR = 0, 1
VARIANTS = {"V1": 1, "V2": 2}


# --------------------------------------------------------------------------------- kernels

@njit(cache=True)
def _grad(code, M, v, X, y, l2, rows, x, out):
    """Gradient of a quadratic (``Mx - v``) or of a finite sum averaged over ``rows``
    (all rows when ``rows`` is empty); written into ``out``."""
    d = x.size
    if code == QUADRATIC:
        out[:] = M @ x - v
        return
    n = X.shape[0]
    if rows.size == 0:
        # full batch: two BLAS matrix-vector products
        z = X @ x
        r = np.empty(n)
        for i in range(n):
            r[i] = -y[i] * sigmoid(-y[i] * z[i]) if code == LOGISTIC else z[i] - y[i]
        out[:] = (r @ X) / n + l2 * x
        return
    out[:] = 0.0
    nr = rows.size
    for j in range(nr):
        i = rows[j]
        z = 0.0
        for p in range(d):
            z += X[i, p] * x[p]
        if code == LOGISTIC:
            r = -y[i] * sigmoid(-y[i] * z)
        else:  # least squares, 1/2 (x_i'w - y_i)^2
            r = z - y[i]
        for p in range(d):
            out[p] += r * X[i, p]
    for p in range(d):
        out[p] = out[p] / nr + l2 * x[p]


@njit(cache=True)
def _noisy_grad(code, M, v, X, y, l2, rows, noise, x, out):
    """:func:`_grad` plus the additive noise vector (ignored when empty)."""
    _grad(code, M, v, X, y, l2, rows, x, out)
    if noise.size > 0:
        out += noise


@njit(cache=True)
def _aux_kernel(method, variant, init_zero, share_first,
                fc, fM, fv, fX, fy, fl2, hc, hM, hv, hX, hy, hl2,
                x0, eta, a, K, nf, nh, nhi, rf, rh, rhi, record_inner):
    """Whole run of AuxMOM / AuxMVR (both variants); see the module docstring.

    Returns iterates ``xs`` (T+1, d), momenta ``ms`` (T, d), inner iterates ``ys``
    (T, K+1, d) or (0, K+1, d), and the counts ``[f-gradients, h-gradients]``.
    """
    T = rf.shape[0]
    d = x0.size
    xs = np.empty((T + 1, d))
    ms = np.empty((T, d))
    ys = np.empty((T if record_inner else 0, K + 1, d))
    x = x0.copy()
    x_prev = x0.copy()
    m = np.zeros(d)
    gf, gh, gfp, ghp, gy = np.empty(d), np.empty(d), np.empty(d), np.empty(d), np.empty(d)
    target = np.empty(d)
    counts = np.zeros(2, dtype=np.int64)
    xs[0] = x
    for t in range(T):
        # shared sample xi_t at the anchor x_{t-1}
        _noisy_grad(fc, fM, fv, fX, fy, fl2, rf[t], nf[t], x, gf)
        _noisy_grad(hc, hM, hv, hX, hy, hl2, rh[t], nh[t], x, gh)
        counts[0] += 1
        counts[1] += 1
        if variant == 1:
            target[:] = gf - gh
        else:
            target[:] = gf
        if t == 0:
            # first sample initialises m (or m_0 = 0 gives a * target)
            m[:] = a * target if init_zero else target
        elif method == AUXMOM:
            m[:] = (1.0 - a) * m + a * target
        else:  # STORM: same sample xi_t at the previous anchor
            _noisy_grad(fc, fM, fv, fX, fy, fl2, rf[t], nf[t], x_prev, gfp)
            counts[0] += 1
            if variant == 1:
                _noisy_grad(hc, hM, hv, hX, hy, hl2, rh[t], nh[t], x_prev, ghp)
                counts[1] += 1
                m[:] = target + (1.0 - a) * (m - (gfp - ghp))
            else:
                m[:] = target + (1.0 - a) * (m - gfp)
        yv = x.copy()
        if record_inner:
            ys[t, 0] = yv
        for k in range(K):
            if k == 0 and share_first:
                gy[:] = gh
            else:
                _noisy_grad(hc, hM, hv, hX, hy, hl2, rhi[t, k], nhi[t, k], yv, gy)
                counts[1] += 1
            if variant == 1:
                yv -= eta * (gy + m)
            else:
                yv -= eta * (gy - gh + m)
            if record_inner:
                ys[t, k + 1] = yv
        x_prev[:] = x
        x[:] = yv
        xs[t + 1] = x
        ms[t] = m
    return xs, ms, ys, counts


@njit(cache=True)
def _first_order_kernel(c, M, v, X, y, l2, x0, eta, a, storm, init_zero, noise, rows):
    """SGD (a = 1), SGD with EMA momentum, or STORM (``storm``) on one function.

    ``m_1 = g_1`` (or ``a g_1`` from ``m_0 = 0``); EMA: ``m_t = (1-a) m_{t-1} + a g_t``; STORM:
    ``m_t = g_t(x_{t-1}) + (1-a)(m_{t-1} - g_t(x_{t-2}))`` with the same sample; ``x_t = x_{t-1}
    - eta m_t``. Returns iterates (T+1, d), momenta (T, d) and the gradient count.
    """
    T = rows.shape[0]
    d = x0.size
    xs = np.empty((T + 1, d))
    ms = np.empty((T, d))
    x = x0.copy()
    x_prev = x0.copy()
    m = np.zeros(d)
    g, gp = np.empty(d), np.empty(d)
    count = 0
    xs[0] = x
    for t in range(T):
        _noisy_grad(c, M, v, X, y, l2, rows[t], noise[t], x, g)
        count += 1
        if t == 0:
            m[:] = a * g if init_zero else g
        elif storm:
            _noisy_grad(c, M, v, X, y, l2, rows[t], noise[t], x_prev, gp)
            count += 1
            m[:] = g + (1.0 - a) * (m - gp)
        else:
            m[:] = (1.0 - a) * m + a * g
        x_prev[:] = x
        x -= eta * m
        xs[t + 1] = x
        ms[t] = m
    return xs, ms, count


# ----------------------------------------------------------------------------- NumPy twins

def _np_grad(problem, rows, noise, x):
    """Readable gradient: the foundation problem classes on the selected rows, plus noise."""
    if rows.size > 0:
        sub = (Logistic(problem.X[rows], problem.y[rows], problem.l2)
               if isinstance(problem, Logistic) else LeastSquares(problem.X[rows], problem.y[rows]))
        g = sub.grad(x)
    else:
        g = problem.grad(x)
    return g + noise if noise.size else g


def aux_twin(pair, x0, eta, K, a, draws, method="mom", variant="V1", init="sample",
             share_first=False):
    """NumPy twin of :func:`aux_mom` / :func:`aux_mvr` on the same draws; returns
    ``(xs, ms, ys)``."""
    f, h, D = pair.f, pair.h, draws
    x = np.array(x0, dtype=float)
    xs, ms, ys = [x.copy()], [], []
    m, x_prev = None, x.copy()
    for t in range(D.rf.shape[0]):
        gf = _np_grad(f, D.rf[t], D.nf[t], x)
        gh = _np_grad(h, D.rh[t], D.nh[t], x)
        target = gf - gh if variant == "V1" else gf
        if m is None:
            m = a * target if init == "zero" else target
        elif method == "mom":
            m = (1 - a) * m + a * target
        else:
            prev = _np_grad(f, D.rf[t], D.nf[t], x_prev)
            if variant == "V1":
                prev = prev - _np_grad(h, D.rh[t], D.nh[t], x_prev)
            m = target + (1 - a) * (m - prev)
        y = [x.copy()]
        for k in range(K):
            gy = gh if (k == 0 and share_first) else _np_grad(h, D.rhi[t, k], D.nhi[t, k], y[-1])
            direction = gy + m if variant == "V1" else gy - gh + m
            y.append(y[-1] - eta * direction)
        x_prev, x = x, y[-1]
        xs.append(x.copy())
        ms.append(m.copy())
        ys.append(np.array(y))
    return np.array(xs), np.array(ms), np.array(ys)


def first_order_twin(problem, x0, eta, a, noise, rows, storm=False, init="sample"):
    """NumPy twin of :func:`first_order`; returns ``(xs, ms)``."""
    x = np.array(x0, dtype=float)
    xs, ms, m, x_prev = [x.copy()], [], None, x.copy()
    for t in range(rows.shape[0]):
        g = _np_grad(problem, rows[t], noise[t], x)
        if m is None:
            m = a * g if init == "zero" else g
        elif storm:
            m = g + (1 - a) * (m - _np_grad(problem, rows[t], noise[t], x_prev))
        else:
            m = (1 - a) * m + a * g
        x_prev, x = x, x - eta * m
        xs.append(x.copy())
        ms.append(m.copy())
    return np.array(xs), np.array(ms)


# -------------------------------------------------------------------------- public wrappers

def grad_norms2(problem, xs):
    """``||grad f(x)||^2`` for every row of ``xs`` (vectorised; exact gradients)."""
    xs = np.atleast_2d(xs)
    if isinstance(problem, (Logistic, LeastSquares)):
        Z = xs @ problem.X.T
        if isinstance(problem, Logistic):
            R = -problem.y / (1.0 + np.exp(np.clip(problem.y * Z, -700, 700)))
            G = R @ problem.X / problem.n + problem.l2 * xs
        else:
            G = (Z - problem.y) @ problem.X / problem.n
    else:
        G = xs @ problem.A.T - problem.b
    return np.sum(G * G, axis=1)


def _check_common(pair, x0, eta, K, T, a):
    if not isinstance(pair, Pair):
        raise ValueError(f"pair must be a Pair, got {type(pair).__name__}")
    x0 = check_vector(x0, "x0", size=pair.d)
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    K = check_scalar(K, "K", low=1, integer=True)
    T = check_scalar(T, "T", low=1, integer=True)
    a = check_scalar(a, "a", low=0.0, high=1.0, low_open=True)
    return x0, eta, K, T, a


def _check_options(variant, init, noise):
    if variant not in VARIANTS:
        raise ValueError(f"variant must be 'V1' or 'V2', got {variant!r}")
    if init not in ("sample", "zero"):
        raise ValueError(f"init must be 'sample' or 'zero', got {init!r}")
    noise = NoiseModel.exact() if noise is None else noise
    if not isinstance(noise, NoiseModel):
        raise ValueError(f"noise must be a NoiseModel, got {type(noise).__name__}")
    return noise


def _aux_run(method, pair, x0, eta, K, T, a, variant, noise, seed, share_first, init,
             record_inner, draws):
    x0, eta, K, T, a = _check_common(pair, x0, eta, K, T, a)
    noise = _check_options(variant, init, noise)
    n_f, n_h = n_samples(pair.f), n_samples(pair.h)
    if draws is None:
        draws = noise.draw(T, K, pair.d, n_f, n_h, seed)
    draws = check_draws(draws, T, K, pair.d, n_f, n_h)
    t0 = time.perf_counter()
    xs, ms, ys, counts = _aux_kernel(
        method, VARIANTS[variant], init == "zero", bool(share_first),
        *kernel_spec(pair.f), *kernel_spec(pair.h), x0, eta, a, K,
        draws.nf, draws.nh, draws.nhi, draws.rf, draws.rh, draws.rhi, bool(record_inner))
    seconds = time.perf_counter() - t0
    stats = {"m": ms, "grad_norm2": grad_norms2(pair.f, xs)}
    if record_inner:
        stats["inner"] = ys
    name = "auxmom" if method == AUXMOM else "auxmvr"
    return Trace(np.arange(T + 1), xs, stats, {"f": int(counts[0]), "h": int(counts[1])}, seconds,
                 {"method": name, "variant": variant, "eta": eta, "K": K, "a": a, "init": init,
                  "share_first": bool(share_first), "noise": noise})


def aux_mom(pair, x0, eta, K, T, a=0.5, variant="V1", noise=None, seed=0, share_first=False,
            init="sample", record_inner=False, draws=None):
    """AuxMOM (reconstruction V1 or V2; see the module docstring).

    Parameters
    ----------
    pair : Pair
        Target f and helper h (:mod:`sketchopt.problems.pairs`).
    x0 : ndarray (d,)
        Starting point.
    eta : float
        Inner step size (> 0).
    K : int
        Inner (helper) steps per outer step (>= 1).
    T : int
        Outer steps (>= 1).
    a : float
        Momentum weight in (0, 1]; ``a = 1`` gives the bias-corrected local steps.
    variant : {"V1", "V2"}
        V1: EMA of ``g_f - g_h``, inner ``g_h(y) + m``. V2: EMA of ``g_f``, inner
        ``g_h(y) - g_h(x) + m``.
    noise : NoiseModel, optional
        Exact gradients by default.
    seed : int
        Seed of the draws.
    share_first : bool
        First inner h-gradient reuses the anchor sample (no new evaluation).
    init : {"sample", "zero"}
        ``m_1`` = first sample, or ``m_0 = 0``.
    record_inner : bool
        Keep all inner iterates in ``trace.stats["inner"]`` (T, K+1, d).
    draws : Draws, optional
        Pre-drawn randomness (overrides ``noise``/``seed``), e.g. to drive the twin; every array
        must match ``(T, K, d, batch)`` (ValueError naming ``draws`` otherwise).

    Returns
    -------
    Trace
        ``x`` (T+1, d), ``stats["m"]`` (T, d), ``stats["grad_norm2"]`` (T+1,),
        ``grad_evals = {"f": T, "h": T(1+K) - T*share_first}``.
    """
    return _aux_run(AUXMOM, pair, x0, eta, K, T, a, variant, noise, seed, share_first, init,
                    record_inner, draws)


def aux_mvr(pair, x0, eta, K, T, a=0.5, variant="V1", noise=None, seed=0, share_first=False,
            init="sample", record_inner=False, draws=None):
    """AuxMVR: STORM-type bias estimate (reconstruction; V1 on ``g_f - g_h``, V2 on ``g_f`` as in
    CLAIMS.md), same sample at the current and previous anchor. Parameters as :func:`aux_mom`;
    ``grad_evals = {"f": 2T - 1, "h": (2 + K)T - 1 (V1) or (1 + K)T (V2)}`` without sharing."""
    return _aux_run(AUXMVR, pair, x0, eta, K, T, a, variant, noise, seed, share_first, init,
                    record_inner, draws)


def local_steps(pair, x0, eta, K, T, noise=None, seed=0, share_first=False, record_inner=False):
    """SVRG/SCAFFOLD-style bias-corrected local steps: inner direction
    ``g_h(y) - g_h(x) + g_f(x)`` (AuxMOM with a = 1)."""
    return aux_mom(pair, x0, eta, K, T, 1.0, "V2", noise, seed, share_first, "sample",
                   record_inner)


def first_order(problem, x0, eta, T, a=1.0, storm=False, noise=None, seed=0, which="f",
                init="sample", draws=None):
    """SGD (``a = 1``), SGD with EMA momentum, or MVR/STORM (``storm=True``) on one problem.

    Parameters
    ----------
    problem : Quadratic, Logistic or LeastSquares
    x0 : ndarray (d,)
    eta : float
        Step size (> 0).
    T : int
        Steps (>= 0).
    a : float
        Momentum / STORM weight in (0, 1].
    storm : bool
    noise : NoiseModel, optional
    seed : int
    which : {"f", "h"}
        Which noise level of the model applies (``s_f`` or ``s_h``; ``batch_f`` or ``batch_h``).
    init : {"sample", "zero"}
    draws : tuple (noise (T, d|0), rows (T, b|0)), optional
        Pre-drawn randomness; its shapes must match ``T`` and ``problem`` (ValueError naming
        ``draws`` otherwise).

    Returns
    -------
    Trace
    """
    spec = kernel_spec(problem)
    x0 = check_vector(x0, "x0", size=problem.d)
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    T = check_scalar(T, "T", low=0, integer=True)
    a = check_scalar(a, "a", low=0.0, high=1.0, low_open=True)
    noise = _check_options("V1", init, noise)
    if draws is None:
        draws = noise.draw_single(T, problem.d, n_samples(problem), which, seed)
    # the kernel runs as many steps as there are draws: they must cover exactly T steps
    nz, rows = check_single_draws(draws, T, problem.d, n_samples(problem))
    t0 = time.perf_counter()
    xs, ms, count = _first_order_kernel(*spec, x0, eta, a, bool(storm), init == "zero", nz, rows)
    name = "storm" if storm else ("sgd" if a == 1.0 else "sgdm")
    return Trace(np.arange(T + 1), xs, {"m": ms, "grad_norm2": grad_norms2(problem, xs)},
                 {which: int(count)}, time.perf_counter() - t0,
                 {"method": name, "eta": eta, "a": a, "noise": noise})


def naive(pair, x0, eta, T, noise=None, seed=0):
    """The naive method (reconstruction of the paper's baseline): SGD on h only, no bias
    correction; it stalls at the minimiser of h (D4). ``stats["grad_norm2"]`` is of f."""
    tr = first_order(pair.h, x0, eta, T, 1.0, False, noise, seed, which="h")
    tr.stats["grad_norm2"] = grad_norms2(pair.f, tr.x)
    tr.meta["method"] = "naive"
    return tr


def fine_tune(pair, x0, eta_h, T_h, eta_f, T_f, a=1.0, noise=None, seed=0):
    """Fine-tuning: ``T_h`` SGD steps on h (all helper gradients first), then ``T_f`` SGD(m)
    steps on f from there. Budget split and steps are the caller's (the paper's are not known).
    The trace has ``T_h + T_f + 1`` iterates; ``stats["grad_norm2"]`` is of f."""
    pre = naive(pair, x0, eta_h, T_h, noise, seed)
    post = first_order(pair.f, pre.x[-1], eta_f, T_f, a, False, noise, seed + 1, which="f")
    xs = np.vstack([pre.x, post.x[1:]])
    return Trace(np.arange(xs.shape[0]), xs, {"grad_norm2": grad_norms2(pair.f, xs)},
                 {"f": post.grad_evals["f"], "h": pre.grad_evals["h"]},
                 pre.seconds + post.seconds,
                 {"method": "fine_tune", "eta_h": eta_h, "T_h": T_h, "eta_f": eta_f, "T_f": T_f})


def _warmup():
    from ..problems.pairs import logistic_pair, toy_pair
    from .auxinfo_noise import NoiseModel as NM
    for pair, nm in ((toy_pair(1.0, 1.0), NM.additive(0.1, 0.1, 0.5)),
                     (logistic_pair("flipped", n=6, d=2, seed=0), NM.minibatch(2, shared=True))):
        x0 = np.zeros(pair.d)
        for method in (aux_mom, aux_mvr):
            method(pair, x0, 0.1, 2, 2, 0.5, "V1", nm, record_inner=True)
        first_order(pair.f, x0, 0.1, 2, 0.5, True, nm)
