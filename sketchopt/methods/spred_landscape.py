"""The landscape of spred's objective ``L_rs(u, v) = L(u*v) + kappa/2 (||u||^2 + ||v||^2)``.

All statements here are derived in the spec (`spred.md` §2 D1-D6, §5.1, tag [D]), not read in the
paper; the paper's own statements are T1-T4 (global/local equivalence, gradient strength).

Notation: ``g = grad L(w)``, ``H = hess L(w)`` at ``w = u * v``; ``D = u^2 - v^2`` (imbalance).
"""

import numpy as np

from .._validation import as_float_array, check_scalar


def _kappa(kappa):
    return check_scalar(kappa, "kappa", low=0.0, low_open=True)


# ---------------------------------------------------------------------- values and identities

def rs_objective(loss_value, u, v, kappa):
    """``L(u*v) + kappa/2 (||u||^2 + ||v||^2)`` for a callable ``loss_value(w)``."""
    u, v = as_float_array(u, "u"), as_float_array(v, "v")
    return loss_value(u * v) + 0.5 * _kappa(kappa) * (np.sum(u * u) + np.sum(v * v))


def l1_objective(loss_value, w, kappa):
    """``L(w) + kappa ||w||_1``."""
    w = as_float_array(w, "w")
    return loss_value(w) + _kappa(kappa) * np.sum(np.abs(w))


def imbalance(u, v):
    """``(|u| - |v|, u^2 - v^2)``: zero exactly on the balanced set (T2)."""
    u, v = as_float_array(u, "u"), as_float_array(v, "v")
    return np.abs(u) - np.abs(v), u * u - v * v


def imbalance_factor(g, step, kappa):
    """Exact per-step law D3: one GD/SGD step with gradient ``g`` multiplies ``D_i`` by
    ``(1 - step kappa)^2 - step^2 g_i^2``."""
    g = as_float_array(g, "g")
    step = check_scalar(step, "step", low=0.0, low_open=True)
    return (1.0 - step * _kappa(kappa)) ** 2 - step ** 2 * g * g


def mode_factors(g, step, kappa):
    """D4: ``p = u + v`` and ``q = u - v`` are multiplied by ``1 - step(kappa + g)`` and
    ``1 - step(kappa - g)`` in one GD/SGD step."""
    g = as_float_array(g, "g")
    kappa = _kappa(kappa)
    return 1.0 - step * (kappa + g), 1.0 - step * (kappa - g)


def reduced_rhs(w, D, g, kappa):
    """D6, exact for gradient flow: ``dw/dt = -sqrt(4 w^2 + D^2) g - 2 kappa w``."""
    return -np.sqrt(4.0 * w * w + D * D) * g - 2.0 * _kappa(kappa) * w


def depth_penalty(w, kappa, depth):
    """``min sum_k kappa/2 u_k^2`` over ``prod_k u_k = w``: ``(depth kappa/2)|w|^(2/depth)``
    (AM-GM; optional item outside the paper)."""
    depth = check_scalar(depth, "depth", low=1, integer=True)
    return 0.5 * depth * _kappa(kappa) * np.abs(as_float_array(w, "w")) ** (2.0 / depth)


# ------------------------------------------------------------------------------ Hessians

def rs_hessian(H, g, u, v, kappa):
    """Exact Hessian of L_rs in ``(u, v)`` (2d x 2d) from ``H = hess L`` and ``g = grad L``.

    ``kappa I + [[diag(v) H diag(v), diag(v) H diag(u) + diag(g)],
    [diag(u) H diag(v) + diag(g), diag(u) H diag(u)]]``.
    """
    H = as_float_array(H, "H", ndim=2)
    g, u, v = (as_float_array(a, n) for a, n in ((g, "g"), (u, "u"), (v, "v")))
    J = np.hstack([np.diag(v), np.diag(u)])
    out = J.T @ H @ J + _kappa(kappa) * np.eye(2 * u.size)
    d = u.size
    out[:d, d:] += np.diag(g)
    out[d:, :d] += np.diag(g)
    return out


def predicted_spectrum(H, g, w, kappa, support):
    """D2: spectrum of the Hessian of L_rs at a balanced minimiser with support ``S``:
    ``{2 kappa}^{|S|} U eig(2 W^{1/2} H_SS W^{1/2}) U {kappa -+ |g_i| : i not in S}``, sorted."""
    H = as_float_array(H, "H", ndim=2)
    g, w = as_float_array(g, "g"), as_float_array(w, "w")
    kappa = _kappa(kappa)
    S = np.asarray(support, dtype=int)
    off = np.setdiff1d(np.arange(w.size), S)
    r = np.sqrt(np.abs(w[S]))
    middle = np.linalg.eigvalsh(2.0 * r[:, None] * H[np.ix_(S, S)] * r[None, :])
    parts = [np.full(S.size, 2 * kappa), middle, kappa - np.abs(g[off]), kappa + np.abs(g[off])]
    return np.sort(np.concatenate(parts))


def frozen_saddles(u, v, g, kappa, atol=0.0):
    """D1/D5: coordinates stuck at ``u_i = v_i = 0`` (|u_i|, |v_i| <= atol) with ``|g_i| > kappa``.

    Such a point is first-order stationary for L_rs but a strict saddle: its 2x2 block
    ``[[kappa, g_i], [g_i, kappa]]`` has the eigenvalue ``kappa - |g_i| < 0`` along
    ``(1, -sign g_i)``. Returns ``(indices, negative eigenvalues)``.
    """
    u, v, g = as_float_array(u, "u"), as_float_array(v, "v"), as_float_array(g, "g")
    kappa = _kappa(kappa)
    at_zero = (np.abs(u) <= atol) & (np.abs(v) <= atol)
    idx = np.flatnonzero(at_zero & (np.abs(g) > kappa))
    return idx, kappa - np.abs(g[idx])


def sign_frozen(u, v):
    """D5: coordinates on the invariant sets ``u = v`` or ``u = -v`` (bitwise), whose sign of
    ``u * v`` can never change under GD, SGD, momentum or coupled Adam."""
    u, v = as_float_array(u, "u"), as_float_array(v, "v")
    return np.flatnonzero((u == v) | (u == -v))


# ---------------------------------------------------------------------- 1-D closed forms (5.1)

def one_d_solution(a, kappa):
    """``argmin (w - a)^2/2 + kappa|w|`` = soft threshold ``S_kappa(a)``."""
    a = np.asarray(a, dtype=float)
    return np.sign(a) * np.maximum(np.abs(a) - _kappa(kappa), 0.0)


def one_d_min_value(a, kappa):
    """``kappa|a| - kappa^2/2`` if ``|a| > kappa`` else ``a^2/2``."""
    a = np.asarray(a, dtype=float)
    kappa = _kappa(kappa)
    return np.where(np.abs(a) > kappa, kappa * np.abs(a) - kappa ** 2 / 2, a * a / 2)


def one_d_stationary_points(a, kappa):
    """All stationary points ``(u, v)`` of ``(uv - a)^2/2 + kappa/2 (u^2 + v^2)``: the origin,
    plus ``(+-s, +-sign(a) s)`` with ``s = sqrt(|a| - kappa)`` when ``|a| > kappa``."""
    kappa = _kappa(kappa)
    pts = [(0.0, 0.0)]
    if abs(a) > kappa:
        s = np.sqrt(abs(a) - kappa)
        pts += [(s, np.sign(a) * s), (-s, -np.sign(a) * s)]
    return np.array(pts)


def one_d_hessian(u, v, a, kappa):
    """Exact Hessian ``[[v^2 + kappa, 2uv - a], [2uv - a, u^2 + kappa]]``."""
    kappa = _kappa(kappa)
    return np.array([[v * v + kappa, 2 * u * v - a], [2 * u * v - a, u * u + kappa]])


def one_d_hessian_eigs(a, kappa):
    """Predicted eigenvalues: at the origin ``kappa -+ |a|``; at the non-zero minimiser (if
    ``|a| > kappa``) ``2 kappa`` and ``2(|a| - kappa)``. Returns ``(origin, minimiser or None)``."""
    kappa = _kappa(kappa)
    origin = np.sort([kappa - abs(a), kappa + abs(a)])
    nz = np.sort([2 * kappa, 2 * (abs(a) - kappa)]) if abs(a) > kappa else None
    return origin, nz


def balanced_flow(w0, a, kappa, t):
    """Balanced gradient flow ``dw/dt = 2 w (c - w)``, ``c = |a| - kappa`` (w >= 0 taken in the
    sign of a): logistic ``c w0 e^{2ct} / (c + w0 (e^{2ct} - 1))``, and ``1/(1/w0 + 2t)`` at
    the critical ``|a| = kappa``."""
    kappa = _kappa(kappa)
    t = np.asarray(t, dtype=float)
    c = abs(a) - kappa
    if c == 0.0:
        return 1.0 / (1.0 / w0 + 2.0 * t)
    e = np.exp(2.0 * c * t)
    return c * w0 * e / (c + w0 * (e - 1.0))
