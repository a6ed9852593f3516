"""Exact analysis of AuxMOM / AuxMVR on quadratic pairs (derived, spec ``auxinfo.md`` D3, D3b, D8).

``f = 1/2 x'Ax - b'x`` and ``h = 1/2 x'Bx - c'x``. With ``S = I - eta B`` the K inner steps from
``y_0 = x`` sum to ``P_K = eta sum_{j<K} S^j = B^-1 (I - S^K)``; with an exact bias (a = 1) one
outer step is ``x_t - x* = M_K (x_{t-1} - x*)``, ``M_K = I - P_K A`` (D3), whose K -> infinity
limit is ``B^-1 (B - A)`` with spectral radius ``<= ||A - B||_2 / lambda_min(B)``.

With momentum ``a < 1`` and additive Gaussian noise (:class:`~sketchopt.methods.auxinfo_noise.
NoiseModel`), one outer step of either method and either variant is an affine map of the
augmented state ``z_t = (u_t, u_{t-1}, v_t)`` (``u = x - x*``, ``v = m - m*``, ``m*`` the value
of ``m`` at the solution: ``beta(x*)`` for V1, ``grad f(x*) = 0`` for V2) plus a linear image of
the Gaussian draws, ``z_t = G z_{t-1} + N w_t``. Its exact first and second moments come from
:class:`sketchopt.exact.LinearRecursion`. The first outer step (``m`` initialised with the first
sample) is the same map with ``a = 1``. Everything here is derived (not stated in the paper) and
is checked against the Numba kernels in the tests.

Least-squares pairs with minibatches drawn uniformly with replacement (multiplicative noise, D8)
have an exact route too (:func:`exact_moments` dispatches to it). Every gradient slot of an outer
step (the anchor sample ``xi_t``, then the K inner samples) maps the homogeneous state
``s_t = (x_t, x_{t-1}, m_t, c_t, 1)`` (``c_t``: what the inner steps add to ``g_h(y)``, i.e.
``m_t`` for V1 and ``m_t - g_h(x_{t-1}; xi_t)`` for V2) by a matrix that is affine in the
minibatch means, so with rows ``i`` uniform and ``R_i`` the slot matrix of one row,
``E[R_S kron R_S] = Rbar kron Rbar + (1/b) E[(R_i - Rbar) kron (R_i - Rbar)]`` (one such term
per independent group of rows: f's and h's anchor rows separately when they are not shared).
The slots are independent, so the outer-step moment operator is the product of the slots'
operators; :class:`sketchopt.exact.LinearRecursion` propagates it.
"""

from dataclasses import dataclass

import numpy as np

from .._validation import check_scalar, check_symmetric_pd, check_vector
from ..exact import LinearRecursion
from ..problems.least_squares import LeastSquares
from ..problems.pairs import Pair
from ..problems.quadratic import Quadratic
from .auxinfo_noise import NoiseModel


def _check_AB(A, B):
    A = check_symmetric_pd(A, "A")
    B = check_symmetric_pd(B, "B")
    if A.shape != B.shape:
        raise ValueError(f"A and B must have the same shape, got {A.shape} and {B.shape}")
    return A, B


def inner_sum(B, eta, K):
    """``P_K = eta * sum_{j=0}^{K-1} (I - eta B)^j`` by the sum (K matrix products)."""
    B = check_symmetric_pd(B, "B")
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    K = check_scalar(K, "K", low=1, integer=True)
    S = np.eye(B.shape[0]) - eta * B
    P, Sj = np.zeros_like(B), np.eye(B.shape[0])
    for _ in range(K):
        P += eta * Sj
        Sj = Sj @ S
    return P


def inner_sum_closed(B, eta, K):
    """``P_K = B^-1 (I - (I - eta B)^K)`` (closed form of :func:`inner_sum`)."""
    B = check_symmetric_pd(B, "B")
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    K = check_scalar(K, "K", low=1, integer=True)
    S = np.eye(B.shape[0]) - eta * B
    return np.linalg.solve(B, np.eye(B.shape[0]) - np.linalg.matrix_power(S, K))


def contraction_matrix(A, B, eta, K):
    """Per-outer-step map ``M_K = I - P_K A`` of the bias-corrected method with a = 1 (D3)."""
    A, B = _check_AB(A, B)
    return np.eye(A.shape[0]) - inner_sum_closed(B, eta, K) @ A


def limit_matrix(A, B):
    """``M_inf = B^-1 (B - A)``, the K -> infinity limit of :func:`contraction_matrix`."""
    A, B = _check_AB(A, B)
    return np.linalg.solve(B, B - A)


def spectral_radius(M):
    """Largest eigenvalue modulus of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(M, dtype=float)))))


def delta_bound(A, B):
    """``||A - B||_2 / lambda_min(B)``, the upper bound on ``rho(B^-1 (B - A))`` (D3)."""
    A, B = _check_AB(A, B)
    return float(np.linalg.norm(A - B, 2) / np.linalg.eigvalsh(B)[0])


def momentum_matrix_v1(A, B, eta, K, a):
    """D3b: deterministic AuxMOM V1 on ``(u_t, v_t)``: ``G = [[S^K - a P_K D, -(1-a) P_K],
    [a D, (1-a) I]]`` with ``D = A - B``; converges iff ``rho(G) < 1``."""
    A, B = _check_AB(A, B)
    a = check_scalar(a, "a", low=0.0, high=1.0, low_open=True)
    d = A.shape[0]
    P = inner_sum_closed(B, eta, K)
    SK = np.linalg.matrix_power(np.eye(d) - eta * B, K)
    D = A - B
    return np.block([[SK - a * P @ D, -(1 - a) * P], [a * D, (1 - a) * np.eye(d)]])


@dataclass
class AugmentedSystem:
    """``z_t = G z_{t-1} + N w_t`` with ``z = (u_t, u_{t-1}, v_t)`` (3d) and Gaussian ``w``
    of covariance ``Sigma`` (dimension (2+K) d: anchor f-noise, anchor h-noise, K inner h-noises).
    ``C_error`` maps ``z_t`` to the bias-tracking error ``e_t = m_t - target(x_{t-1})``."""
    G: np.ndarray
    N: np.ndarray
    Sigma: np.ndarray
    C_error: np.ndarray
    m_star: np.ndarray

    @property
    def noise_cov(self):
        """``N Sigma N'``, the covariance added to ``z`` per outer step."""
        return self.N @ self.Sigma @ self.N.T


def _check_method(eta, K, a, method, variant):
    """Validated ``(eta, K, a)`` of an AuxMOM / AuxMVR run; ``method`` and ``variant`` checked."""
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    K = check_scalar(K, "K", low=1, integer=True)
    a = check_scalar(a, "a", low=0.0, high=1.0, low_open=True)
    if method not in ("mom", "mvr"):
        raise ValueError(f"method must be 'mom' or 'mvr', got {method!r}")
    if variant not in ("V1", "V2"):
        raise ValueError(f"variant must be 'V1' or 'V2', got {variant!r}")
    return eta, K, a


def augmented_system(A, B, eta, K, a, method="mom", variant="V1", s_f=0.0, s_h=0.0, rho=0.0,
                     share_first=False, b=None, c=None):
    """Exact linear model of one outer step on a quadratic pair (see the module docstring).

    Parameters
    ----------
    A, B : ndarray (d, d)
        SPD Hessians of f and h.
    eta, K, a : float, int, float
        Inner step, inner steps, momentum weight in (0, 1].
    method : {"mom", "mvr"}
    variant : {"V1", "V2"}
    s_f, s_h, rho : float
        Additive noise: per-coordinate std of f- and h-noise and their correlation.
    share_first : bool
        First inner h-gradient reuses the anchor sample.
    b, c : ndarray (d,), optional
        Linear terms (only ``m*`` depends on them).

    Returns
    -------
    AugmentedSystem
    """
    A, B = _check_AB(A, B)
    d = A.shape[0]
    eta, K, a = _check_method(eta, K, a, method, variant)
    s_f = check_scalar(s_f, "s_f", low=0.0)
    s_h = check_scalar(s_h, "s_h", low=0.0)
    rho = check_scalar(rho, "rho", low=-1.0, high=1.0)
    b = np.zeros(d) if b is None else check_vector(b, "b", size=d)
    c = np.zeros(d) if c is None else check_vector(c, "c", size=d)
    I, Z = np.eye(d), np.zeros((d, d))
    S = I - eta * B
    P = inner_sum_closed(B, eta, K)
    # target of the estimate m, linear in u_{t-1}: beta = D u + beta* (V1) or grad f = A u (V2)
    Tm = A - B if variant == "V1" else A
    if method == "mom":
        Vu, Vuu = a * Tm, Z
    else:  # STORM: target(x_{t-1}) + (1-a)(m_{t-1} - target(x_{t-2})), same sample at both
        Vu, Vuu = Tm, -(1 - a) * Tm
    Vv = (1 - a) * I
    # inner loop: V1 steps on g_h(y) + m; V2 on g_h(y) - g_h(x) + m, where S^K + P_K B = I
    Uu = np.linalg.matrix_power(S, K) if variant == "V1" else I
    G = np.block([[Uu - P @ Vu, -P @ Vuu, -P @ Vv], [I, Z, Z], [Vu, Vuu, Vv]])
    # noise columns: w = (eps_f, eps_h, eps_h1 .. eps_hK)
    n_tgt = [I, -I] if variant == "V1" else [I, Z]  # noise of the target sample
    Nv = [a * n_tgt[0], a * n_tgt[1]] + [Z] * K
    Nu = [-P @ Nv[0], -P @ Nv[1] + (P if variant == "V2" else Z)]
    Nu += [-eta * np.linalg.matrix_power(S, K - k) for k in range(1, K + 1)]
    if share_first:  # eps_h1 is eps_h: move its column onto the anchor column
        Nu[1] = Nu[1] + Nu[2]
        Nu[2] = Z
    N = np.block([Nu, [Z] * (2 + K), Nv])
    C = np.zeros((2 + K, 2 + K))
    C[0, 0], C[1, 1], C[0, 1] = s_f ** 2, s_h ** 2, rho * s_f * s_h
    C[1, 0] = C[0, 1]
    C[2:, 2:] = s_h ** 2 * np.eye(K)
    Sigma = np.kron(C, I)
    x_star = np.linalg.solve(A, b)
    m_star = (A - B) @ x_star - b + c if variant == "V1" else np.zeros(d)
    return AugmentedSystem(G, N, Sigma, np.hstack([Z, -Tm, I]), m_star)


def _noise_params(noise):
    noise = NoiseModel.exact() if noise is None else noise
    if not isinstance(noise, NoiseModel) or noise.kind not in ("exact", "additive"):
        raise ValueError("noise must be None, NoiseModel.exact() or NoiseModel.additive(...)")
    return noise.s_f, noise.s_h, noise.rho


def exact_moments(pair, x0, eta, K, T, a, method="mom", variant="V1", noise=None,
                  share_first=False):
    """Exact moments of AuxMOM / AuxMVR (``init="sample"``) on a quadratic pair.

    Quadratic pairs take exact gradients or additive Gaussian noise; least-squares pairs take
    exact gradients or minibatches (rows uniform with replacement, shared or not), see the module
    docstring.

    Returns
    -------
    dict
        ``mean_x`` (T+1, d); ``x_err2 = E||x_t - x*||^2``, ``grad2 = E||grad f(x_t)||^2``,
        ``step2 = E||x_t - x_{t-1}||^2`` and ``e2 = E||m_t - target(x_{t-1})||^2`` (the last two
        are NaN at t = 0), each of shape (T+1,); ``recursion`` (the LinearRecursion for t >= 1).
        Least-squares pairs add ``target_var = E[var(x_{t-1})]`` (NaN at t = 0), the expected
        conditional variance of the anchor sample's target (see :func:`target_noise`), and
        ``second`` (T+1, 4d+1, 4d+1), the second moments of ``(x_t, x_{t-1}, m_t, c_t, 1)``.
    """
    if isinstance(pair, Pair) and isinstance(pair.f, LeastSquares):
        return _finite_sum_moments(pair, x0, eta, K, T, a, method, variant, noise, share_first)
    if not isinstance(pair, Pair) or not isinstance(pair.f, Quadratic):
        raise ValueError("pair must be a quadratic or least-squares Pair")
    f, h = pair.f, pair.h
    d = f.d
    x0 = check_vector(x0, "x0", size=d)
    T = check_scalar(T, "T", low=1, integer=True)
    s_f, s_h, rho = _noise_params(noise)
    kw = dict(method=method, variant=variant, s_f=s_f, s_h=s_h, rho=rho, share_first=share_first,
              b=f.b, c=h.b)
    first = augmented_system(f.A, h.A, eta, K, 1.0, **kw)
    sys = augmented_system(f.A, h.A, eta, K, a, **kw)
    x_star = f.minimizer()
    u0 = x0 - x_star
    # m is initialised with the first sample: the a = 1 map from v_0 = 0
    z0 = np.concatenate([u0, u0, np.zeros(d)])
    m1 = first.G @ z0
    P1 = np.outer(m1, m1) + first.noise_cov
    G = sys.G
    rec = LinearRecursion.from_moments(G, np.kron(G, G), np.zeros((9 * d * d, 3 * d)),
                                       np.zeros(3 * d), sys.noise_cov.reshape(-1))
    means, second = rec.moments(m1, T - 1, P1)
    u_dd = second[:, :d, :d]
    x_err2 = np.concatenate([[u0 @ u0], np.trace(u_dd, axis1=1, axis2=2)])
    grad2 = np.concatenate([[u0 @ f.A @ f.A @ u0],
                            np.einsum("tij,ji->t", u_dd, f.A @ f.A)])
    diff = np.hstack([np.eye(d), -np.eye(d), np.zeros((d, d))])
    step2 = np.concatenate([[np.nan], np.einsum("ij,tjk,ik->t", diff, second, diff)])
    Ce = sys.C_error
    e2 = np.concatenate([[np.nan], np.einsum("ij,tjk,ik->t", Ce, second, Ce)])
    mean_x = np.vstack([x0, means[:, :d] + x_star])
    return {"mean_x": mean_x, "x_err2": x_err2, "grad2": grad2, "step2": step2, "e2": e2,
            "recursion": rec}


# ------------------------------------------------- least squares with minibatches (D8)

def _row_gradients(problem):
    """Per-row gradient maps of ``1/(2n)||y - Xw||^2``: ``grad_i(w) = H_i w - g_i`` with
    ``H_i = x_i x_i'`` and ``g_i = y_i x_i`` (shapes (n, d, d) and (n, d))."""
    X = problem.X
    return np.einsum("ni,nj->nij", X, X), X * problem.y[:, None]


def _check_finite_sum(pair, noise):
    """The least-squares pair and its minibatch sizes ``(b_f, b_h, shared)``; ``b = inf`` for
    exact gradients."""
    if not isinstance(pair, Pair) or not (isinstance(pair.f, LeastSquares)
                                          and isinstance(pair.h, LeastSquares)):
        raise ValueError("pair must be a least-squares Pair (f and h LeastSquares)")
    noise = NoiseModel.exact() if noise is None else noise
    if not isinstance(noise, NoiseModel) or noise.kind not in ("exact", "minibatch"):
        raise ValueError("noise must be None, NoiseModel.exact() or NoiseModel.minibatch(...) "
                         "for a least-squares pair")
    if noise.kind == "exact":
        return np.inf, np.inf, True
    if noise.shared and pair.f.n != pair.h.n:
        raise ValueError("noise.shared needs f and h with the same number of rows")
    return float(noise.batch_f), float(noise.batch_h), noise.shared


def _kron_mean(L):
    """``mean_i kron(L_i, L_i)`` for ``L`` of shape (n, D, D) (row-major vec layout)."""
    n, D, _ = L.shape
    return np.einsum("nij,nkl->ikjl", L, L).reshape(D * D, D * D) / n


def _slot_moments(slot, f_rows, h_rows, b_f, b_h, shared):
    """``(E[R], E[R kron R])`` of a slot matrix ``R = slot((Hf, gf), (Hh, gh))`` that is affine
    in the minibatch means of f's rows ``f_rows = (Hf_i, gf_i)`` and h's rows ``h_rows``
    (``None`` for a side the slot does not use). With shared rows both sides are one group;
    otherwise each side is its own independent group, and the cross terms vanish."""
    def bar(rows):
        return None if rows is None else (rows[0].mean(axis=0), rows[1].mean(axis=0))
    fb, hb = bar(f_rows), bar(h_rows)
    Rbar = slot(fb, hb)
    EBB = np.kron(Rbar, Rbar)
    if not np.isfinite(b_f):  # exact gradients: the slot is deterministic
        return Rbar, EBB
    if shared and f_rows is not None and h_rows is not None:
        groups = [([slot((Hf, gf), (Hh, gh)) for Hf, gf, Hh, gh in zip(*f_rows, *h_rows)],
                   b_f)]
    else:
        groups = []
        if f_rows is not None:
            groups.append(([slot((H, g), hb) for H, g in zip(*f_rows)], b_f))
        if h_rows is not None:
            groups.append(([slot(fb, (H, g)) for H, g in zip(*h_rows)], b_h))
    for R, b in groups:
        EBB = EBB + _kron_mean(np.array(R) - Rbar) / b
    return Rbar, EBB


def _finite_sum_moments(pair, x0, eta, K, T, a, method, variant, noise, share_first):
    """:func:`exact_moments` for a least-squares pair (homogeneous state, module docstring)."""
    b_f, b_h, shared = _check_finite_sum(pair, noise)
    d = pair.d
    x0 = check_vector(x0, "x0", size=d)
    eta, K, a = _check_method(eta, K, a, method, variant)
    T = check_scalar(T, "T", low=1, integer=True)
    D = 4 * d + 1
    X_, XP, M_, C_, ONE = (slice(0, d), slice(d, 2 * d), slice(2 * d, 3 * d),
                           slice(3 * d, 4 * d), 4 * d)
    I = np.eye(d)

    def anchor(w):
        def slot(fr, hr):
            (Hf, gf), (Hh, gh) = fr, hr
            # target sample at w: t(w) = Tm w - tv (g_f - g_h for V1, g_f for V2)
            Tm, tv = (Hf - Hh, gf - gh) if variant == "V1" else (Hf, gf)
            R = np.zeros((D, D))
            R[ONE, ONE] = 1.0
            R[XP, X_] = I  # x_{t-1} <- x_t
            if method == "mom":  # m' = (1-w) m + w t(x)
                R[M_, M_], R[M_, X_], R[M_, ONE] = (1 - w) * I, w * Tm, -w * tv
            else:  # STORM, same sample at x and at the previous anchor
                R[M_, X_], R[M_, XP], R[M_, M_] = Tm, -(1 - w) * Tm, (1 - w) * I
                R[M_, ONE] = -w * tv
            R[C_] = R[M_]
            if variant == "V2":  # c' = m' - g_h(x; xi_t)
                R[C_, X_] -= Hh
                R[C_, ONE] += gh
            R[X_, X_] = I  # y_0 = x
            if share_first:  # first inner step on the anchor's h-gradient
                R[X_] = R[X_] - eta * (Hh @ R[X_] - np.outer(gh, R[ONE]) + R[C_])
            return R
        return slot

    def inner(fr, hr):
        Hh, gh = hr
        R = np.eye(D)
        R[X_, X_] = I - eta * Hh
        R[X_, C_] = -eta * I
        R[X_, ONE] = eta * gh
        return R

    f_rows, h_rows = _row_gradients(pair.f), _row_gradients(pair.h)
    EBi, EBBi = _slot_moments(inner, None, h_rows, b_f, b_h, False)
    n_inner = K - int(bool(share_first))
    EBi_K = np.linalg.matrix_power(EBi, n_inner)
    EBBi_K = np.linalg.matrix_power(EBBi, n_inner)
    ops = []
    for w in (1.0, a):  # m initialised with the first sample: the first step has a = 1
        EBa, EBBa = _slot_moments(anchor(w), f_rows, h_rows, b_f, b_h, shared)
        ops.append((EBi_K @ EBa, EBBi_K @ EBBa))
    (EB1, EBB1), (EB, EBB) = ops
    s0 = np.concatenate([x0, x0, np.zeros(2 * d), [1.0]])
    m1 = EB1 @ s0
    P1 = (EBB1 @ np.outer(s0, s0).reshape(-1)).reshape(D, D)
    rec = LinearRecursion.from_moments(EB, EBB, np.zeros((D * D, D)), np.zeros(D),
                                       np.zeros(D * D))
    means, second = rec.moments(m1, T - 1, (P1 + P1.T) / 2)
    second = np.concatenate([np.outer(s0, s0)[None], second])

    def quad(C):
        return np.einsum("ij,tjk,ik->t", C, second, C)

    fH, fg = pair.f.hessian(), pair.f.X.T @ pair.f.y / pair.f.n
    hH, hg = pair.h.hessian(), pair.h.X.T @ pair.h.y / pair.h.n
    Tm, tv = (fH - hH, fg - hg) if variant == "V1" else (fH, fg)
    Z, z = np.zeros((d, d)), np.zeros((d, 1))
    grad2 = quad(np.hstack([fH, Z, Z, Z, -fg[:, None]]))
    step2 = quad(np.hstack([I, -I, Z, Z, z]))
    e2 = quad(np.hstack([Z, -Tm, I, Z, tv[:, None]]))
    target_var = target_noise(pair, noise, variant).expected_variance(second)
    if pair.f.mu > 0:
        x_err2 = quad(np.hstack([I, Z, Z, Z, -np.linalg.solve(fH, fg)[:, None]]))
    else:  # no unique minimiser
        x_err2 = np.full(T + 1, np.nan)
    for arr in (step2, e2, target_var):
        arr[0] = np.nan
    return {"mean_x": np.vstack([x0, means[:, X_]]), "x_err2": x_err2, "grad2": grad2,
            "step2": step2, "e2": e2, "target_var": target_var, "second": second,
            "recursion": rec}


@dataclass
class TargetNoise:
    """Noise of the anchor sample's target ``t(w; xi) = Tm_xi w - tv_xi`` on a least-squares
    pair (``g_f - g_h`` for V1, ``g_f`` for V2).

    Attributes
    ----------
    var_form : ndarray (d+1, d+1)
        PSD matrix with ``E||t(w; xi) - E t(w; xi)||^2 = (w, 1)' var_form (w, 1)``.
    delta_ms2 : float
        ``lambda_max(E[Tm_xi' Tm_xi])``, the squared mean-square Lipschitz constant of
        ``w -> t(w; xi)``: ``E||t(x; xi) - t(y; xi)||^2 <= delta_ms2 ||x - y||^2``.
    """
    var_form: np.ndarray
    delta_ms2: float

    def variance(self, W):
        """Conditional variance at each row of ``W`` (shape (k, d)); returns (k,)."""
        W = np.atleast_2d(np.asarray(W, dtype=float))
        Z = np.hstack([W, np.ones((W.shape[0], 1))])
        return np.einsum("ti,ij,tj->t", Z, self.var_form, Z)

    def expected_variance(self, second):
        """``E[variance(x_{t-1})] = tr(var_form E[(x_{t-1}, 1)(x_{t-1}, 1)'])`` from the second
        moments ``second`` (T+1, 4d+1, 4d+1) of the state ``(x_t, x_{t-1}, m_t, c_t, 1)``
        (:func:`exact_moments` on a least-squares pair)."""
        d = self.var_form.shape[0] - 1
        second = np.asarray(second, dtype=float)
        if second.ndim != 3 or second.shape[1:] != (4 * d + 1, 4 * d + 1):
            raise ValueError(f"second must have shape (T+1, {4 * d + 1}, {4 * d + 1}), got "
                             f"{second.shape}")
        keep = np.r_[d:2 * d, 4 * d]  # x_{t-1} and the constant 1
        return np.einsum("tij,ji->t", second[:, keep][:, :, keep], self.var_form)


def target_noise(pair, noise, variant="V1"):
    """:class:`TargetNoise` of a least-squares pair under ``noise`` (exact or minibatch: rows
    uniform with replacement, batch means; shared rows make f's and h's noise one group)."""
    b_f, b_h, shared = _check_finite_sum(pair, noise)
    if variant not in ("V1", "V2"):
        raise ValueError(f"variant must be 'V1' or 'V2', got {variant!r}")
    d = pair.d
    (Hf, gf), (Hh, gh) = _row_gradients(pair.f), _row_gradients(pair.h)

    def maps(H, g):  # rows of (w, 1) -> t_i(w) as (n, d, d+1)
        return np.concatenate([H, -g[:, :, None]], axis=2)

    def cov(Gi):
        Gbar = Gi.mean(axis=0)
        return (np.einsum("nki,nkj->ij", Gi, Gi) / Gi.shape[0] - Gbar.T @ Gbar)

    if variant == "V2":
        groups = [(maps(Hf, gf), b_f)]
    elif shared:  # one group of rows for both f and h
        groups = [(maps(Hf - Hh, gf - gh), b_f)]
    else:  # independent rows: t = g_f(w; rows_f) - g_h(w; rows_h)
        groups = [(maps(Hf, gf), b_f), (maps(-Hh, -gh), b_h)]
    Tbar = sum(G.mean(axis=0)[:, :d] for G, _ in groups)
    Q, EMM = np.zeros((d + 1, d + 1)), Tbar.T @ Tbar
    for G, b in groups:
        if np.isfinite(b):
            C = cov(G)  # its (d, d) block is the covariance of the Hessian part
            Q, EMM = Q + C / b, EMM + C[:d, :d] / b
    return TargetNoise((Q + Q.T) / 2, float(np.linalg.eigvalsh((EMM + EMM.T) / 2)[-1]))


__all__ = ["inner_sum", "inner_sum_closed", "contraction_matrix", "limit_matrix",
           "spectral_radius", "delta_bound", "momentum_matrix_v1", "AugmentedSystem",
           "augmented_system", "exact_moments", "TargetNoise", "target_noise"]
