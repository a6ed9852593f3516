"""Closed forms of the MAST objective on quadratics (spec D5-D7; derived, verified exactly).

For ``f(x) = 1/2 x'Ax - b'x`` and an unbiased diagonal sketch ``S = Diag(s)``::

    H = E[S'AS] = A o E[ss'],         f_D(x) = f(x) + 1/2 (x-v)'(H-A)(x-v)
    x*_D = v - H^{-1}(Av - b),        f_D^inf = f(v) - 1/2 g_v' H^{-1} g_v
    gap = f_D^inf - f^inf = 1/2 g_v'(A^{-1} - H^{-1}) g_v >= 0
    sigma*^2 = E||S(A(v + S(x*_D - v)) - b)||^2   (third moments of s, no enumeration)
"""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from .._validation import check_symmetric_pd, check_vector


@dataclass
class MastQuadratic:
    """Every closed form of spec D7 for one quadratic, shift and sketch.

    Attributes
    ----------
    A, b, v : the problem and the shift.
    H : ndarray
        ``E[S'AS]``, the Hessian of f_D.
    x_star, f_inf : minimiser and minimum of f.
    x_star_D, f_D_inf : minimiser and minimum of f_D.
    gap : float
        ``f_D^inf - f^inf`` by the formula ``1/2 g_v'(A^{-1} - H^{-1}) g_v``.
    sigma2 : float
        ``sigma*^2 = E||grad f_S(x*_D)||^2``: a weighted sum over outcomes when there are at
        most ``SIGMA2_ENUMERATION_LIMIT``, else the third-moment closed form.
    L_f, mu_f : extreme eigenvalues of A.
    L_H, mu_H : extreme eigenvalues of H (smoothness / strong convexity of f_D).
    L_D, mu_D, L_S_max : sketch constants (spec D5).
    """
    A: np.ndarray
    b: np.ndarray
    v: np.ndarray
    sketch: object
    H: np.ndarray
    x_star: np.ndarray
    f_inf: float
    x_star_D: np.ndarray
    f_D_inf: float
    gap: float
    sigma2: float
    L_f: float
    mu_f: float
    L_H: float
    mu_H: float
    L_D: float
    mu_D: float
    L_S_max: float

    @property
    def d(self):
        return self.A.shape[0]

    def f(self, x):
        """The original loss f(x)."""
        return 0.5 * x @ self.A @ x - self.b @ x

    def f_D(self, x):
        """``f_D(x) = f(x) + 1/2 (x-v)'(H-A)(x-v)`` (exact)."""
        w = x - self.v
        return self.f(x) + 0.5 * w @ (self.H - self.A) @ w

    def grad_f_D(self, x):
        """``H(x - v) + A v - b``."""
        return self.H @ (x - self.v) + self.A @ self.v - self.b

    def grad_second_moment(self, x):
        """``E||grad f_S(x)||^2`` in closed form (sigma*^2 at ``x = x*_D``)."""
        return grad_second_moment(self.A, self.A @ self.v - self.b, x - self.v, self.sketch)

    def grad_noise_cov(self):
        """``E[h_S h_S']`` with ``h_S = grad f_S(x*_D)`` (zero mean), by enumeration."""
        vals, wts = self.sketch.enumerate()
        h = sketched_quadratic_grads(self.A, self.A @ self.v - self.b,
                                     self.x_star_D - self.v, vals)
        return (h * wts[:, None]).T @ h


def sketched_quadratic_grads(A, gv, w, vals):
    """``grad f_S`` for each outcome row of ``vals``: ``s o (g_v + A (s o w))``, w = x - v."""
    return vals * (gv[None, :] + (vals * w[None, :]) @ A)


def grad_second_moment(A, gv, w, sketch):
    """``E||s o (g_v + A(s o w))||^2`` from the first three moments of ``s``.

    Expanding the square: ``sum_i E[s_i^2] g_i^2 + 2 g_i sum_j A_ij w_j E[s_i^2 s_j]
    + sum_jk A_ij A_ik w_j w_k E[s_i^2 s_j s_k]``, with ``s_i^2 = scale_i s_i``.
    """
    sc = sketch.scale
    E2 = sketch.outer_moment()
    total = float(np.sum(sketch.second_moment_diag() * gv ** 2))
    for i in range(sketch.d):
        u = A[i] * w
        total += 2.0 * gv[i] * sc[i] * (E2[i] @ u)
        total += sc[i] * (u @ sketch.third_moment_slice(i) @ u)
    return total


#: up to this many outcomes sigma*^2 is summed over outcomes (no cancellation); beyond, the
#: third-moment expansion is used, whose rounding error is relative to its largest terms
SIGMA2_ENUMERATION_LIMIT = 50_000


def _sigma2(A, gv, w, sketch):
    if sketch.n_outcomes <= SIGMA2_ENUMERATION_LIMIT:
        vals, wts = sketch.enumerate(SIGMA2_ENUMERATION_LIMIT)
        h = sketched_quadratic_grads(A, gv, w, vals)
        return float(wts @ np.sum(h * h, axis=1))
    return grad_second_moment(A, gv, w, sketch)


def mast_quadratic(A, b, v, sketch):
    """Closed forms of the MAST objective for ``f(x) = 1/2 x'Ax - b'x`` (spec D7).

    Parameters
    ----------
    A : ndarray of shape (d, d)
        Symmetric positive definite.
    b, v : ndarray of shape (d,)
        Linear term and shift.
    sketch : Bernoulli or RandK (or any unbiased diagonal sketch of sketchopt.sketches)

    Returns
    -------
    MastQuadratic
        ``H, x_star_D, f_D_inf, gap, sigma2`` and the constants ``L_D, mu_D, L_S_max``.
    """
    A = check_symmetric_pd(A, "A")
    d = A.shape[0]
    b = check_vector(b, "b", size=d)
    v = check_vector(v, "v", size=d)
    if getattr(sketch, "d", None) != d or not hasattr(sketch, "outer_moment"):
        raise ValueError(f"sketch must be a diagonal sketch of dimension {d}")
    H = sketch.sandwich(A)
    H = (H + H.T) / 2
    gv = A @ v - b
    cA, cH = cho_factor(A), cho_factor(H)
    Ainv_g, Hinv_g = cho_solve(cA, gv), cho_solve(cH, gv)
    fv = 0.5 * v @ A @ v - b @ v
    x_star = cho_solve(cA, b)
    x_star_D = v - Hinv_g
    # difference of the two quadratic forms, evaluated as one product to keep it >= 0
    gap = 0.5 * gv @ (Ainv_g - Hinv_g)
    eA, eH = np.linalg.eigvalsh(A), np.linalg.eigvalsh(H)
    sigma2 = _sigma2(A, gv, x_star_D - v, sketch)
    return MastQuadratic(A, b, v, sketch, H, x_star, float(fv - 0.5 * gv @ Ainv_g), x_star_D,
                         float(fv - 0.5 * gv @ Hinv_g), float(gap), float(sigma2),
                         float(eA[-1]), float(eA[0]), float(eH[-1]), float(eH[0]),
                         sketch.L_D, sketch.mu_D, sketch.L_S_max)


@dataclass
class MastDistributedQuadratic:
    """Closed forms of the heterogeneous objective ``f_D = (1/M) sum_i E f_i(v + S_i(x - v))``
    for quadratics ``f_i = 1/2 x'A_i x - b_i'x`` (spec T5, Q-check of C18)."""
    As: np.ndarray
    bs: np.ndarray
    v: np.ndarray
    H: np.ndarray            # (1/M) sum_i E[S_i' A_i S_i]
    x_star_D: np.ndarray
    f_D_inf: float
    f_i_inf: np.ndarray      # min of each local f_i
    residual: float          # f_D^inf - (1/M) sum_i f_i^inf
    L_bar: float             # max_i L_{f_i} L_{D_i}
    A_bar: float             # max_i L_{f_i} L_{S_i}^max
    D_max: float             # max_i L_{f_i}^2 L_{D_i} L_{S_i}^max (the sourced constant)

    def f_D(self, x):
        w = x - self.v
        M = len(self.As)
        fs = sum(0.5 * x @ A @ x - b @ x for A, b in zip(self.As, self.bs)) / M
        Abar = self.As.mean(axis=0)
        return fs + 0.5 * w @ (self.H - Abar) @ w

    def grad_f_D(self, x):
        return self.H @ (x - self.v) + np.mean(self.As @ self.v - self.bs, axis=0)


def mast_distributed_quadratic(As, bs, v, sketches):
    """Closed forms for M heterogeneous quadratic nodes with per-node marginal sketches.

    ``x*_D = v - (sum_i H_i)^{-1} sum_i (A_i v - b_i)`` depends only on the marginals, so
    Perm-K and independent Rand-q give the same x*_D.
    """
    As = np.asarray(As, dtype=np.float64)
    M = As.shape[0]
    if As.ndim != 3 or len(sketches) != M:
        raise ValueError("As must have shape (M, d, d) and sketches length M")
    As = np.array([check_symmetric_pd(A, f"As[{i}]") for i, A in enumerate(As)])
    d = As.shape[1]
    bs = np.array([check_vector(b, f"bs[{i}]", size=d) for i, b in enumerate(bs)])
    v = check_vector(v, "v", size=d)
    H = sum(s.sandwich(A) for s, A in zip(sketches, As)) / M
    H = (H + H.T) / 2
    g = np.mean(As @ v - bs, axis=0)
    x_star_D = v - np.linalg.solve(H, g)
    f_i_inf = np.array([-0.5 * b @ np.linalg.solve(A, b) for A, b in zip(As, bs)])
    out = MastDistributedQuadratic(As, bs, v, H, x_star_D, 0.0, f_i_inf, 0.0, 0.0, 0.0, 0.0)
    out.f_D_inf = float(out.f_D(x_star_D))
    out.residual = float(out.f_D_inf - f_i_inf.mean())
    Lf = np.array([np.linalg.eigvalsh(A)[-1] for A in As])
    LD = np.array([s.L_D for s in sketches])
    LS = np.array([s.L_S_max for s in sketches])
    out.L_bar, out.A_bar = float(np.max(Lf * LD)), float(np.max(Lf * LS))
    out.D_max = float(np.max(Lf ** 2 * LD * LS))
    return out
