"""spred: the L1 (or row-group L1) penalty solved by plain first-order training of w = u * v.

The reparametrised objective (spec `spred.md` §1.1, kappa/2 convention of the authors' code)

    L_rs(u, W) = L(V) + kappa/2 (||u||^2 + ||W||_F^2),    V = diag(u) W,

has the same minima as ``L(V) + kappa * sum_j ||V_j||_2`` (rows V_j). With one output column
(``W`` of shape (d, 1)) this is ``w = u * v`` and the lasso / L1-logistic penalty ``kappa||w||_1``;
with k > 1 output columns ``u`` is spred's input mask ``m`` and the penalty is the multi-task
(row-group) lasso. One Numba kernel runs the whole optimisation for every case:

* losses: least squares ``1/(2n)||Y - XV||_F^2`` and mean logistic loss (k = 1, labels +-1);
* optimisers: full-batch GD, minibatch SGD (pre-drawn batches), heavy-ball momentum
  (PyTorch form ``b <- beta b + g``, ``x <- x - eta b``) and Adam with COUPLED weight decay
  (``g <- grad + kappa * param`` before the moments, i.e. ``torch.optim.Adam(weight_decay)``).

Decoupled weight decay (AdamW, ``x <- x - eta (m_hat/(sqrt(v_hat)+eps) + kappa x)``) is refused by
:func:`spred`: its fixed points satisfy ``m_hat/(sqrt(v_hat)+eps) = -kappa x``, not
``grad L_rs = 0``, so it does not solve the L1 problem (spec §3, [D]). The kernel keeps that
form only so that checks can show it failing.
"""

import time

import numpy as np
from numba import njit

from .._validation import as_float_array, check_scalar, check_seed
from ..problems._kernels import log1pexp, sigmoid
from ._trace import Trace

LOSSES = {"least_squares": 0, "logistic": 1}
OPTIMIZERS = {"gd": 0, "sgd": 0, "momentum": 1, "adam": 2}
_ADAMW = 3  # decoupled weight decay: kept for the checks that show it fails, never public
INITS = ("independent", "balanced", "imbalanced")


# ----------------------------------------------------------------------------------- kernels

@njit(cache=True)
def _loss_grad(X, Y, kind, V, rows, loss_scale):
    """Gradient (d, k) and value of ``loss_scale * L`` on the rows ``rows`` (all rows if empty)."""
    if rows.shape[0] > 0:
        Xb = X[rows]
        Yb = Y[rows]
    else:
        Xb = X
        Yb = Y
    b = Xb.shape[0]
    Z = Xb @ V
    if kind == 0:
        R = Z - Yb
        val = 0.5 * np.sum(R * R) / b
        G = Xb.T @ R / b
    else:
        r = np.empty((b, 1))
        val = 0.0
        for i in range(b):
            m = Yb[i, 0] * Z[i, 0]
            val += log1pexp(-m)
            r[i, 0] = -Yb[i, 0] * sigmoid(-m)
        val /= b
        G = Xb.T @ r / b
    return G * loss_scale, val * loss_scale


@njit(cache=True)
def _penalty(V, kappa):
    s = 0.0
    for j in range(V.shape[0]):
        s += np.sqrt(np.sum(V[j] * V[j]))
    return kappa * s


@njit(cache=True)
def _rs_grads(G, u, W, kap_u, kap_w):
    """Gradients of L_rs in (u, W) given G = grad L(V) at V = diag(u) W."""
    gu = np.sum(G * W, axis=1) + kap_u * u
    gw = G * u.reshape(-1, 1) + kap_w * W
    return gu, gw


@njit(cache=True)
def _spred_kernel(X, Y, kind, u0, W0, kap_u, kap_w, loss_scale, steps, opt, beta1, beta2,
                  eps, batches, V_ref, kappa_rec, gtol, check_every, record_every, keep_x):
    """Whole spred run. Returns (u, W, n_steps, rec_t, rec_obj, rec_dist, rec_gnorm, xs)."""
    T = steps.shape[0]
    d, k = W0.shape
    u = u0.copy()
    W = W0.copy()
    mu_ = np.zeros(d)
    mw = np.zeros((d, k))
    su = np.zeros(d)
    sw = np.zeros((d, k))
    no_rows = np.empty(0, dtype=np.int64)
    n_rec = T // record_every + 2
    rec_t = np.empty(n_rec, dtype=np.int64)
    rec_obj = np.empty(n_rec)
    rec_dist = np.empty(n_rec)
    rec_gn = np.empty(n_rec)
    xs = np.empty((n_rec if keep_x else 0, d, k))
    n = 0
    t = 0
    b1t = 1.0
    b2t = 1.0
    while True:
        last = t == T
        if t % record_every == 0 or last:
            V = W * u.reshape(-1, 1)
            G, val = _loss_grad(X, Y, kind, V, no_rows, loss_scale)
            gu, gw = _rs_grads(G, u, W, kap_u, kap_w)
            rec_t[n] = t
            rec_obj[n] = val + _penalty(V, kappa_rec)
            rec_dist[n] = np.max(np.abs(V - V_ref)) if V_ref.shape[0] > 0 else np.nan
            rec_gn[n] = max(np.max(np.abs(gu)), np.max(np.abs(gw)))
            if keep_x:
                xs[n] = V
            n += 1
        if last:
            break
        if gtol > 0.0 and t % check_every == 0:
            V = W * u.reshape(-1, 1)
            G, val = _loss_grad(X, Y, kind, V, no_rows, loss_scale)
            gu, gw = _rs_grads(G, u, W, kap_u, kap_w)
            if max(np.max(np.abs(gu)), np.max(np.abs(gw))) <= gtol:
                T = t  # converged: record this point and stop
                continue
        rows = batches[t] if batches.shape[0] > 0 else no_rows
        V = W * u.reshape(-1, 1)
        G, val = _loss_grad(X, Y, kind, V, rows, loss_scale)
        eta = steps[t]
        if opt == 3:  # decoupled: the moments see the data gradient only
            gu, gw = _rs_grads(G, u, W, 0.0, 0.0)
        else:
            gu, gw = _rs_grads(G, u, W, kap_u, kap_w)
        if opt == 0:
            u -= eta * gu
            W -= eta * gw
        elif opt == 1:
            mu_ = beta1 * mu_ + gu
            mw = beta1 * mw + gw
            u -= eta * mu_
            W -= eta * mw
        else:
            b1t *= beta1
            b2t *= beta2
            mu_ = beta1 * mu_ + (1.0 - beta1) * gu
            mw = beta1 * mw + (1.0 - beta1) * gw
            su = beta2 * su + (1.0 - beta2) * gu * gu
            sw = beta2 * sw + (1.0 - beta2) * gw * gw
            du = (mu_ / (1.0 - b1t)) / (np.sqrt(su / (1.0 - b2t)) + eps)
            dw = (mw / (1.0 - b1t)) / (np.sqrt(sw / (1.0 - b2t)) + eps)
            if opt == 3:
                du = du + kap_u * u
                dw = dw + kap_w * W
            u -= eta * du
            W -= eta * dw
        t += 1
    return u, W, t, rec_t[:n], rec_obj[:n], rec_dist[:n], rec_gn[:n], xs[:n]


def spred_twin(X, Y, kind, u0, W0, kap_u, kap_w, loss_scale, steps, opt, beta1=0.9,
               beta2=0.999, eps=1e-8, batches=None):
    """NumPy twin of the kernel: the readable definition. Returns the iterates V_t, t = 0..T."""
    u, W = np.array(u0, float), np.array(W0, float)
    mom = [np.zeros_like(u), np.zeros_like(W)]
    sec = [np.zeros_like(u), np.zeros_like(W)]
    out = [u[:, None] * W]
    for t, eta in enumerate(steps):
        rows = slice(None) if batches is None or len(batches) == 0 else batches[t]
        Xb, Yb = X[rows], Y[rows]
        Z = Xb @ (u[:, None] * W)
        if kind == 0:
            R = Z - Yb
        else:  # d/dz of log(1 + exp(-y z)) = -y sigmoid(-y z)
            R = -Yb / (1.0 + np.exp(Yb * Z))
        G = loss_scale * Xb.T @ R / Xb.shape[0]
        decay = (0.0, 0.0) if opt == _ADAMW else (kap_u, kap_w)
        grads = [np.sum(G * W, axis=1) + decay[0] * u, G * u[:, None] + decay[1] * W]
        params = [u, W]
        for i in range(2):
            if opt == 0:
                params[i] = params[i] - eta * grads[i]
            elif opt == 1:
                mom[i] = beta1 * mom[i] + grads[i]
                params[i] = params[i] - eta * mom[i]
            else:
                mom[i] = beta1 * mom[i] + (1 - beta1) * grads[i]
                sec[i] = beta2 * sec[i] + (1 - beta2) * grads[i] ** 2
                m_hat = mom[i] / (1 - beta1 ** (t + 1))
                s_hat = sec[i] / (1 - beta2 ** (t + 1))
                direction = m_hat / (np.sqrt(s_hat) + eps)
                if opt == _ADAMW:
                    direction = direction + (kap_u, kap_w)[i] * params[i]
                params[i] = params[i] - eta * direction
        u, W = params
        out.append(u[:, None] * W)
    return np.array(out)


# ------------------------------------------------------------------------------ helpers

def _as_targets(X, y, loss):
    X = np.ascontiguousarray(as_float_array(X, "X", ndim=2))
    y = as_float_array(y, "y")
    if y.ndim not in (1, 2) or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have {X.shape[0]} rows, got shape {y.shape}")
    Y = np.ascontiguousarray(y.reshape(X.shape[0], -1))
    if loss == "logistic":
        if Y.shape[1] != 1:
            raise ValueError("y must be a vector of labels for the logistic loss")
        if not np.all(np.abs(Y) == 1.0):
            raise ValueError("y must hold labels in {-1, +1} for the logistic loss")
    return X, Y


def initial_factors(d, k=1, init="independent", scale=0.5, imbalance=1e-6, w0=None, seed=0):
    """Starting factors ``(u, W)`` of shape (d,) and (d, k).

    Parameters
    ----------
    init : {"independent", "balanced", "imbalanced"}
        ``independent``: u, W iid N(0, scale^2) (the authors' demo). ``balanced``: the "sqrt"
        factorisation of ``w0`` (default iid N(0, scale^2)): ``u_j = sqrt||w0_j||``,
        ``W_j = w0_j / u_j`` so ``|u_j| = ||W_j||`` exactly; signs of w0 are then frozen (D5).
        ``imbalanced``: balanced, then ``u <- u (1 + imbalance)``, ``W <- W (1 - imbalance)``, so
        ``u_j^2 - ||W_j||^2 = 4 imbalance ||w0_j||`` and signs can still change.
    """
    d = check_scalar(d, "d", low=1, integer=True)
    k = check_scalar(k, "k", low=1, integer=True)
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    scale = check_scalar(scale, "scale", low=0.0, low_open=True)
    imbalance = check_scalar(imbalance, "imbalance", low=0.0, high=1.0, high_open=True)
    rng = check_seed(seed)
    if init == "independent":
        return rng.normal(0.0, scale, d), rng.normal(0.0, scale, (d, k))
    if w0 is None:
        w0 = rng.normal(0.0, scale, (d, k))
    w0 = as_float_array(w0, "w0").reshape(d, -1)
    norms = np.linalg.norm(w0, axis=1)
    u = np.sqrt(norms)
    if k == 1:  # sign(w0) * u keeps |u| = |v| bitwise (a division would round)
        W = (np.sign(w0[:, 0]) * u)[:, None]
    else:
        W = np.divide(w0, u[:, None], out=np.zeros_like(w0), where=u[:, None] > 0)
    if init == "imbalanced":
        u, W = u * (1.0 + imbalance), W * (1.0 - imbalance)
    return u, W


def read_off(u, W, threshold=None):
    """Product ``V = diag(u) W`` (a vector when k = 1), its support and its exact zeros.

    The support is ``{j : ||V_j|| > tau}`` with ``tau = 1e-8 * max(1, max_j ||V_j||)`` unless
    ``threshold`` is given (spec §6 conventions); exact zeros (``V_j == 0``) are counted
    separately because they are reached only by underflow (D8).

    Returns
    -------
    (V, support, n_exact_zeros, tau)
    """
    u = as_float_array(u, "u", ndim=1)
    W = as_float_array(W, "W").reshape(u.size, -1)
    V = u[:, None] * W
    norms = np.linalg.norm(V, axis=1)
    tau = 1e-8 * max(1.0, norms.max(initial=0.0)) if threshold is None else check_scalar(
        threshold, "threshold", low=0.0)
    V = V[:, 0] if V.shape[1] == 1 else V
    return V, np.flatnonzero(norms > tau), int(np.sum(norms == 0.0)), tau


def loss_curvature(X, loss="least_squares", loss_scale=1.0):
    """Upper bound on ``lambda_max`` of the data-loss Hessian: ``||X||^2/n`` (x 1/4 logistic)."""
    X = as_float_array(X, "X", ndim=2)
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {tuple(LOSSES)}, got {loss!r}")
    c = np.linalg.norm(X, 2) ** 2 / X.shape[0]
    return loss_scale * (0.25 * c if loss == "logistic" else c)


def local_smoothness(u, W, G, kappa, curvature):
    """Upper bound on ``lambda_max(Hessian of L_rs)`` at ``(u, W)``.

    ``Hess = kappa I + [[0, diag(G)], [diag(G), 0]] + J' H J`` with ``J = [diag(W), diag(u)]``,
    so ``lambda_max <= kappa + max_j ||G_j|| + curvature * max_j (u_j^2 + ||W_j||^2)`` [D].
    Large weights bound the stable step: GD is locally stable for ``step < 2 / this``.
    """
    u = as_float_array(u, "u", ndim=1)
    W = as_float_array(W, "W").reshape(u.size, -1)
    G = as_float_array(G, "G").reshape(u.size, -1)
    return (kappa + np.linalg.norm(G, axis=1).max()
            + curvature * np.max(u ** 2 + np.sum(W ** 2, axis=1)))


def suggest_step(X, y, kappa, u0, W0, loss="least_squares", w_max=None, safety=0.9,
                 loss_scale=1.0):
    """Step size ``safety / max(smoothness at the start, smoothness at a balanced minimiser)``.

    At a balanced point ``u_j^2 + ||W_j||^2 = 2||V_j||``; ``w_max`` bounds ``max_j ||V*_j||`` at
    the minimiser (default: the certified ``sum_j ||V*_j|| <= L(0) / kappa`` from
    ``L_L1(V*) <= L_L1(0)``, loose but safe; pass the oracle's value for a sharp step).
    ``loss_scale`` as in :func:`spred`.
    """
    X, Y = _as_targets(X, y, loss)
    kappa = check_scalar(kappa, "kappa", low=0.0, low_open=True)
    u0 = as_float_array(u0, "u0", ndim=1)
    W0 = as_float_array(W0, "W0").reshape(u0.size, -1)
    kind = LOSSES[loss]
    loss_scale = check_scalar(loss_scale, "loss_scale", low=0.0, low_open=True)
    c = loss_curvature(X, loss, loss_scale)
    G0, _ = _loss_grad(X, Y, kind, u0[:, None] * W0, np.empty(0, np.int64), loss_scale)
    L0 = local_smoothness(u0, W0, G0, kappa, c)
    if w_max is None:
        _, val0 = _loss_grad(X, Y, kind, np.zeros_like(W0), np.empty(0, np.int64), loss_scale)
        w_max = val0 / kappa
    # at the minimiser ||G_j|| <= kappa on every row
    Lstar = 2 * kappa + c * 2 * check_scalar(w_max, "w_max", low=0.0)
    return safety / max(L0, Lstar)


# --------------------------------------------------------------------------- public run

def spred(X, y, kappa, *, loss="least_squares", optimizer="gd", step=None, T=1000,
          batch_size=None, momentum=0.9, betas=(0.9, 0.999), eps=1e-8, decay_steps=None,
          init="independent", init_scale=0.5, imbalance=1e-6, u0=None, W0=None, seed=0,
          gtol=0.0, check_every=100, record_every=None, V_ref=None, keep_x=False,
          threshold=None, loss_scale=1.0, _variant=None):
    """Train ``V = diag(u) W`` on ``L(V) + kappa/2 (||u||^2 + ||W||^2)`` (spred).

    Parameters
    ----------
    X : ndarray (n, d)
    y : ndarray (n,) or (n, k)
        Targets; a matrix gives the multi-output (input-mask, row-group lasso) form.
    kappa : float
        Weight decay on both factors (> 0); equals the L1 / group-L1 coefficient.
    loss : {"least_squares", "logistic"}
        ``1/(2n)||Y - XV||^2`` or ``1/n sum log(1 + exp(-y x'w))``.
    optimizer : {"gd", "sgd", "momentum", "adam"}
        ``"adamw"`` (decoupled weight decay) is refused: it does not solve the L1 problem.
    step : float, optional
        Learning rate; default :func:`suggest_step` at the initial point.
    T : int
        Maximum number of steps.
    batch_size : int, optional
        Minibatch size for "sgd"/"momentum"/"adam" (rows drawn uniformly with replacement);
        None (or >= n) means full batch. "gd" is always full batch and refuses a batch size.
    decay_steps : float, optional
        If given, the step at iteration t is ``step / (1 + t / decay_steps)``.
    init, init_scale, imbalance, u0, W0, seed
        Initial factors (see :func:`initial_factors`) or explicit ``u0`` (d,), ``W0`` (d,)/(d, k).
    gtol : float
        Stop when ``||grad L_rs||_inf <= gtol`` (full-batch gradient, checked every
        ``check_every`` steps; 0 = never); ``meta["n_steps"] < T`` tells that the stop fired.
    record_every : int, optional
        Record objective, distance to ``V_ref`` and gradient norm every this many steps.
    threshold : float, optional
        Support threshold (see :func:`read_off`).
    loss_scale : float
        Multiplies the data loss. 2 reproduces ``torch.nn.MSELoss`` (``mean(r^2)``, no 1/2):
        with weight decay ``kappa`` this solves the lasso with ``kappa / 2`` (spec §1.1).

    Returns
    -------
    Trace
        ``stats``: ``objective`` (``loss_scale * L(V) + kappa sum_j ||V_j||``, full batch;
        with ``loss_scale = 2`` that is twice the objective of the penalty ``kappa/2``),
        ``dist_inf`` (to ``V_ref``), ``grad_inf`` (of L_rs, full batch); ``meta``: ``u``,
        ``W``, ``w`` (the product), ``support``, ``exact_zeros``, ``threshold``, ``step``,
        ``n_steps`` (steps taken; ``< T`` iff the gtol stop fired).
    """
    if optimizer == "adamw":
        raise ValueError("optimizer 'adamw' (decoupled weight decay) does not solve the L1 "
                         "problem: its fixed points satisfy m/(sqrt(v)+eps) = -kappa*x, not "
                         "grad L_rs = 0. Use 'adam' (coupled weight decay).")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}, got {optimizer!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {tuple(LOSSES)}, got {loss!r}")
    if optimizer == "gd" and batch_size is not None:
        raise ValueError("batch_size must be None for optimizer 'gd' (full batch); use "
                         "optimizer 'sgd' for minibatches")
    X, Y = _as_targets(X, y, loss)
    n, d = X.shape
    k = Y.shape[1]
    kappa = check_scalar(kappa, "kappa", low=0.0, low_open=True)
    T = check_scalar(T, "T", low=0, integer=True)
    if u0 is None:
        u0, W0 = initial_factors(d, k, init, init_scale, imbalance, seed=seed)
    u0 = np.ascontiguousarray(as_float_array(u0, "u0", ndim=1))
    if u0.size != d:
        raise ValueError(f"u0 must have {d} entries, got {u0.size}")
    W0 = np.ascontiguousarray(as_float_array(W0, "W0").reshape(d, -1))
    if W0.shape != (d, k):
        raise ValueError(f"W0 must have shape {(d, k)}, got {W0.shape}")
    if step is None:
        step = suggest_step(X, Y, kappa, u0, W0, loss)
    step = check_scalar(step, "step", low=0.0, low_open=True)
    steps = np.full(T, step)
    if decay_steps is not None:
        decay_steps = check_scalar(decay_steps, "decay_steps", low=0.0, low_open=True)
        steps = step / (1.0 + np.arange(T) / decay_steps)
    rng = check_seed(seed)
    if batch_size is None or batch_size >= n:
        batches = np.empty((0, 0), dtype=np.int64)
    else:
        batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
        # rows drawn uniformly with replacement (O(T B) draws, no per-step permutation)
        batches = rng.integers(0, n, size=(T, batch_size)).astype(np.int64)
    momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    b1, b2 = (check_scalar(betas[0], "betas", low=0.0, high=1.0, high_open=True),
              check_scalar(betas[1], "betas", low=0.0, high=1.0, high_open=True))
    eps = check_scalar(eps, "eps", low=0.0)
    gtol = check_scalar(gtol, "gtol", low=0.0)
    check_every = check_scalar(check_every, "check_every", low=1, integer=True)
    record_every = max(T, 1) if record_every is None else check_scalar(
        record_every, "record_every", low=1, integer=True)
    if V_ref is None:
        V_ref = np.empty((0, k))
    else:
        V_ref = np.ascontiguousarray(as_float_array(V_ref, "V_ref").reshape(d, k))
    loss_scale = check_scalar(loss_scale, "loss_scale", low=0.0, low_open=True)
    kap_u, kap_w, opt = kappa, kappa, OPTIMIZERS[optimizer]
    if optimizer == "momentum":
        b1 = momentum
    # deliberately wrong variants, used only by theory_checks to show that checks can fail
    if _variant == "one_factor_decay":
        kap_w = 0.0
    elif _variant == "factor_2_pitfall":
        loss_scale = 2.0 * loss_scale  # mean(r^2) read as mean(r^2)/2 with the same decay
    elif _variant == "decoupled_weight_decay":
        opt = _ADAMW
    elif _variant is not None:
        raise ValueError(f"unknown _variant {_variant!r}")
    t0 = time.perf_counter()
    u, W, n_steps, rt, robj, rdist, rgn, xs = _spred_kernel(
        X, Y, LOSSES[loss], u0, W0, kap_u, kap_w, loss_scale, steps, opt, b1, b2, eps,
        batches, V_ref, kappa, gtol, check_every, record_every, bool(keep_x))
    seconds = time.perf_counter() - t0
    w, support, zeros, tau = read_off(u, W, threshold)
    xs_out = (xs[:, :, 0] if k == 1 else xs) if keep_x else None
    bsz = n if batches.shape[0] == 0 else batches.shape[1]
    return Trace(rt, xs_out, {"objective": robj, "dist_inf": rdist, "grad_inf": rgn},
                 {"f": int(n_steps) * bsz}, seconds,
                 {"method": "spred", "optimizer": optimizer, "loss": loss, "kappa": kappa,
                  "step": step, "n_steps": int(n_steps), "u": u, "W": W, "w": w,
                  "support": support, "exact_zeros": zeros, "threshold": tau,
                  "batches": batches, "variant": _variant, "loss_scale": loss_scale})


def _warmup():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    y = np.sign(rng.normal(size=6)) + 0.0
    for opt in ("gd", "momentum", "adam"):
        spred(X, y, 0.1, optimizer=opt, T=3, record_every=1, keep_x=True, gtol=1e-30,
              check_every=1, V_ref=np.zeros(3))
    spred(X, y, 0.1, optimizer="sgd", batch_size=2, T=3, loss="logistic")
    spred(X, np.c_[y, y], 0.1, T=2)
