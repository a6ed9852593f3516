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
"""

from dataclasses import dataclass

import numpy as np

from .._validation import check_scalar, check_symmetric_pd, check_vector
from ..exact import LinearRecursion
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
    eta = check_scalar(eta, "eta", low=0.0, low_open=True)
    K = check_scalar(K, "K", low=1, integer=True)
    a = check_scalar(a, "a", low=0.0, high=1.0, low_open=True)
    if method not in ("mom", "mvr"):
        raise ValueError(f"method must be 'mom' or 'mvr', got {method!r}")
    if variant not in ("V1", "V2"):
        raise ValueError(f"variant must be 'V1' or 'V2', got {variant!r}")
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

    Returns
    -------
    dict
        ``mean_x`` (T+1, d); ``x_err2 = E||x_t - x*||^2``, ``grad2 = E||grad f(x_t)||^2``,
        ``step2 = E||x_t - x_{t-1}||^2`` and ``e2 = E||m_t - target(x_{t-1})||^2`` (the last two
        are NaN at t = 0), each of shape (T+1,); ``recursion`` (the LinearRecursion for t >= 1).
    """
    if not isinstance(pair, Pair) or not isinstance(pair.f, Quadratic):
        raise ValueError("pair must be a quadratic Pair")
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


__all__ = ["inner_sum", "inner_sum_closed", "contraction_matrix", "limit_matrix",
           "spectral_radius", "delta_bound", "momentum_matrix_v1", "AugmentedSystem",
           "augmented_system", "exact_moments"]
