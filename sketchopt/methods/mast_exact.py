"""Exact expected trajectories of the MAST methods on quadratics (spec Section 5).

With ``e = x - x_ref`` and a diagonal sketch ``s``, one DSGD step on ``1/2 x'Ax - b'x`` is the
affine map ``e' = B_s e + c_s`` with ``B_s = I - step (ss') o A`` and
``c_s = -step grad f_S(x_ref)``. Enumerating every outcome of the sketch gives the exact mean
and second moment of ``e_t`` through :class:`sketchopt.exact.LinearRecursion`, hence exactly
``E||x_t - x*_D||^2 = tr P_t``, ``E f_D(x_t) - f_D^inf = 1/2 tr(H P_t)`` and
``E||grad f_D(x_t)||^2 = tr(H P_t H)``. Methods with memory (L-SVRDSG, running averages) use an
augmented state. Monte Carlo twins run the Numba kernels where enumeration is impossible.
"""

import numpy as np

from .. import stats
from ..exact import LinearRecursion
from .._validation import check_scalar, check_vector
from .mast import dsgd_quadratic


def t1_bound(mq, step, t, r0):
    """The T1 bound on E||x_t - x*_D||^2 for DSGD with ``step <= 1/(L_f L_S^max)``.

    ``(1 - step mu_f mu_D)^t r0 + 2 step L_f L_S^max (f_D^inf - f^inf) / (mu_f mu_D)``, with
    ``r0 = ||x_0 - x*_D||^2`` and the constants of ``mq`` (a :func:`mast_quadratic` result).
    Provenance: derived (spec T1); the step restriction and the rate factor are secondary,
    the neighbourhood constant is our derivation, not read in the paper. ``t`` may be an array;
    ``r0 = 0`` gives the neighbourhood term alone.
    """
    contraction = step * mq.mu_f * mq.mu_D
    return ((1 - contraction) ** np.asarray(t, dtype=float) * r0
            + 2 * step * mq.L_f * mq.L_S_max * mq.gap / (mq.mu_f * mq.mu_D))


def _node_arrays(As, bs, vals):
    As = np.asarray(As, dtype=np.float64)
    bs = np.asarray(bs, dtype=np.float64)
    vals = np.asarray(vals, dtype=np.float64)
    if As.ndim == 2:  # one node
        As, bs, vals = As[None], bs[None], vals[:, None, :]
    return As, bs, vals


def dsgd_maps(As, bs, v, vals, step, x_ref):
    """The affine maps ``(B, c)`` of one (distributed) DSGD step for every outcome.

    Parameters
    ----------
    As, bs : ndarray of shape (d, d), (d,) for one node or (M, d, d), (M, d) for M nodes
    v : ndarray of shape (d,), the shift
    vals : ndarray of shape (k, d) (one node) or (k, M, d): sketch diagonals per outcome
    step : float
    x_ref : ndarray of shape (d,), the point the error is measured from (usually x*_D)

    Returns
    -------
    B : ndarray (k, d, d); c : ndarray (k, d)
    """
    As, bs, vals = _node_arrays(As, bs, vals)
    k, M, d = vals.shape
    B = np.broadcast_to(np.eye(d), (k, d, d)).copy()
    c = np.zeros((k, d))
    w_ref = x_ref - v
    for m in range(M):
        s = vals[:, m, :]
        gv = As[m] @ v - bs[m]
        B -= (step / M) * s[:, :, None] * s[:, None, :] * As[m][None]
        c -= (step / M) * s * (gv[None, :] + (s * w_ref[None, :]) @ As[m])
    return B, c


def dsgd_recursion(As, bs, v, vals, weights, step, x_ref):
    """:class:`LinearRecursion` of DSGD (option I) errors ``x_t - x_ref``."""
    B, c = dsgd_maps(As, bs, v, vals, step, x_ref)
    return LinearRecursion(B, c, weights)


def trajectory_stats(rec, H, e0, T):
    """``dist2, fgap, grad2`` (each of length T+1) from the moments of ``e_t``."""
    _, P = rec.moments(e0, T)
    return {"dist2": np.trace(P, axis1=1, axis2=2),
            "fgap": 0.5 * np.einsum("tij,ji->t", P, H),
            "grad2": np.einsum("ij,tjk,ki->t", H, P, H)}


def dsgd_exact(mq, x0, step, T, vals=None, weights=None):
    """Exact ``E||x_t - x*_D||^2``, ``E f_D(x_t) - f_D^inf``, ``E||grad f_D(x_t)||^2`` of DSGD.

    Parameters
    ----------
    mq : MastQuadratic (``oracles.mast_quadratic``)
    x0 : starting point; step : step size; T : number of steps.
    vals, weights : optional outcomes to run instead of ``mq.sketch``'s own (e.g. to study a
        deliberately wrong sketch); the statistics stay relative to ``mq``'s ``x*_D`` and H.

    Returns
    -------
    dict of ndarray (T+1,)
    """
    step = check_scalar(step, "step", low=0.0, low_open=True)
    T = check_scalar(T, "T", low=0, integer=True)
    x0 = check_vector(x0, "x0", size=mq.d)
    if vals is None:
        vals, weights = mq.sketch.enumerate()
    rec = dsgd_recursion(mq.A, mq.b, mq.v, vals, weights, step, mq.x_star_D)
    return trajectory_stats(rec, mq.H, x0 - mq.x_star_D, T)


def gd_fd_exact(mq, x0, step, T):
    """The same statistics for GD on f_D (deterministic: ``e_{t+1} = (I - step H) e_t``)."""
    step = check_scalar(step, "step", low=0.0, low_open=True)
    x0 = check_vector(x0, "x0", size=mq.d)
    rec = LinearRecursion((np.eye(mq.d) - step * mq.H)[None], np.zeros((1, mq.d)), [1.0])
    return trajectory_stats(rec, mq.H, x0 - mq.x_star_D, T)


def with_running_sum(B, c):
    """Augment ``e' = B e + c`` with ``sigma' = sigma + e`` (state ``(e, sigma)``), so that
    ``sigma_T = sum_{t<T} e_t`` and the average iterate's moments are exact."""
    k, d, _ = B.shape
    Ba = np.zeros((k, 2 * d, 2 * d))
    Ba[:, :d, :d] = B
    Ba[:, d:, :d] = np.eye(d)
    Ba[:, d:, d:] = np.eye(d)
    return Ba, np.concatenate([c, np.zeros((k, d))], axis=1)


def averaged_fgap_exact(mq, x0, step, T, vals=None, weights=None):
    """Exact ``E f_D(xbar_T) - f_D^inf`` with ``xbar_T = (1/T) sum_{t<T} x_t`` (spec T6)."""
    T = check_scalar(T, "T", low=1, integer=True)
    if vals is None:
        vals, weights = mq.sketch.enumerate()
    B, c = dsgd_maps(mq.A, mq.b, mq.v, vals, step, mq.x_star_D)
    rec = LinearRecursion(*with_running_sum(B, c), weights)
    d = mq.d
    _, P = rec.moments(np.concatenate([x0 - mq.x_star_D, np.zeros(d)]), T)
    return 0.5 * np.trace(mq.H @ P[-1][d:, d:]) / T ** 2


def lsvrdsg_recursion(A, b, v, vals, weights, step, p, x_ref):
    """Exact recursion of L-SVRDSG with the full reference gradient (``batch = N``).

    State ``(x - x_ref, w - x_ref)``; outcomes are (sketch j, refresh coin). With
    ``M_j = (s_j s_j') o A`` and ``G(w) = sum_j weight_j grad f_{S_j}(w)``::

        x' = x - step (M_j (x - w) + G(w)),     w' = x (prob p) or w.
    """
    vals = np.asarray(vals, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    k, d = vals.shape
    Ms = vals[:, :, None] * vals[:, None, :] * A[None]
    gv = A @ v - b
    h = vals * (gv[None, :] + (vals * (x_ref - v)[None, :]) @ A)
    Hbar, hbar = np.tensordot(weights, Ms, axes=1), weights @ h
    B = np.zeros((2 * k, 2 * d, 2 * d))
    c = np.zeros((2 * k, 2 * d))
    for coin in (0, 1):
        sl = slice(coin * k, (coin + 1) * k)
        B[sl, :d, :d] = np.eye(d) - step * Ms
        B[sl, :d, d:] = step * (Ms - Hbar)
        B[sl, d:, :d if coin else d:] = 0.0
        if coin:
            B[sl, d:, :d] = np.eye(d)
        else:
            B[sl, d:, d:] = np.eye(d)
        c[sl, :d] = -step * hbar
    w2 = np.concatenate([weights * (1 - p), weights * p])
    keep = w2 > 0
    return LinearRecursion(B[keep], c[keep], w2[keep] / w2[keep].sum()), Ms


def dsgd_mc(mq, x0, step, T, runs, seed, every=1):
    """Monte Carlo twin of :func:`dsgd_exact`: per-run ``dist2, fgap, grad2`` of the Numba
    DSGD kernel, arrays of shape (runs, T//every + 1); seeds derived from ``seed``."""
    runs = check_scalar(runs, "runs", low=2, integer=True)
    out = {k: [] for k in ("dist2", "fgap", "grad2")}
    for s in stats.derive_seeds(seed, runs):
        e = dsgd_quadratic(mq.A, mq.b, mq.v, mq.sketch, x0, step, T, seed=s % (2 ** 31 - 1),
                           every=every).x - mq.x_star_D
        He = e @ mq.H
        out["dist2"].append(np.sum(e * e, axis=1))
        out["fgap"].append(0.5 * np.sum(He * e, axis=1))
        out["grad2"].append(np.sum(He * He, axis=1))
    return {k: np.array(v) for k, v in out.items()}


def distributed_outcomes(d, M, joint=True):
    """All outcomes ``(vals (k, M, d), weights)`` of the server's sketches for M nodes:
    Perm-K (``joint``) or independent Rand-(d/M) per node (C(d, d/M)^M outcomes)."""
    from ..sketches import PermK, RandK
    if joint:
        return PermK(d, M).enumerate()
    mv, mw = RandK(d, d // M).enumerate()
    grid = np.stack(np.meshgrid(*[np.arange(len(mw))] * M, indexing="ij"), -1).reshape(-1, M)
    return mv[grid], np.prod(mw[grid], axis=1)
