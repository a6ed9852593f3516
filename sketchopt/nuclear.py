"""Nuclear-norm regularizer ``psi(W) = lam * ||W||_*`` for an (m, k) matrix stored flat.

The prox is singular-value soft-thresholding; ``subdiff_distance`` is the exact distance from
``-grad`` to ``lam * d||W||_*`` (the stationarity measure of ``f + psi``). Matrices are passed
flat (row-major, length ``m*k``) so the method kernels treat every regularizer the same way.
"""

import numpy as np
from numba import njit

from ._validation import as_float_array, check_scalar


@njit(cache=True)
def svt(z, t, m, k):
    """Singular-value soft-thresholding of the flat (m, k) matrix ``z`` at ``t`` (flat out)."""
    U, s, Vt = np.linalg.svd(np.ascontiguousarray(z).reshape(m, k), full_matrices=False)
    s = np.maximum(s - t, 0.0)
    return ((U * s) @ Vt).reshape(m * k)


@njit(cache=True)
def singular_values(w, m, k):
    """Singular values of the flat (m, k) matrix ``w``, descending."""
    return np.linalg.svd(np.ascontiguousarray(w).reshape(m, k), full_matrices=False)[1]


@njit(cache=True)
def matrix_rank(w, m, k, rtol):
    """Number of singular values above ``rtol * sigma_max`` (0 for the zero matrix)."""
    s = singular_values(w, m, k)
    if s.size == 0 or s[0] == 0.0:
        return 0
    return int(np.sum(s > rtol * s[0]))


@njit(cache=True)
def nuclear_subdiff_distance(w, grad, lam, m, k):
    """``dist(-grad, lam d||W||_*)``.

    With ``W = U S V'`` (rank r) and ``R = grad + lam U V'``, the subdifferential is
    ``lam (U V' + M)`` with ``U'M = 0, MV = 0, ||M||_2 <= 1``. The tangent part of ``R`` must
    vanish; the normal part ``(I - UU') R (I - VV')`` only has to lie in the spectral ball of
    radius ``lam``, so it contributes ``sum_i max(sigma_i - lam, 0)^2``.
    """
    W = np.ascontiguousarray(w).reshape(m, k)
    G = np.ascontiguousarray(grad).reshape(m, k)
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    r = 0
    if s.size > 0 and s[0] > 0.0:
        r = int(np.sum(s > 1e-12 * s[0]))
    Ur = np.ascontiguousarray(U[:, :r])
    Vr = np.ascontiguousarray(Vt[:r, :].T)
    R = G + lam * (Ur @ Vr.T)
    PU = Ur @ Ur.T
    PV = Vr @ Vr.T
    normal = (np.eye(m) - PU) @ R @ (np.eye(k) - PV)
    tangent = R - normal
    sq = np.sum(tangent * tangent)
    sn = np.linalg.svd(normal, full_matrices=False)[1]
    for i in range(sn.size):
        if sn[i] > lam:
            sq += (sn[i] - lam) ** 2
    return np.sqrt(sq)


class NuclearNorm:
    """``psi(W) = lam * ||W||_*`` for (m, k) matrices given flat (row-major).

    Parameters
    ----------
    lam : float
        Non-negative penalty level.
    shape : tuple of int
        ``(m, k)``.
    """

    def __init__(self, lam, shape):
        self.lam = check_scalar(lam, "lam", low=0.0)
        if len(shape) != 2:
            raise ValueError(f"shape must be (m, k), got {shape!r}")
        self.m = check_scalar(shape[0], "shape[0]", low=1, integer=True)
        self.k = check_scalar(shape[1], "shape[1]", low=1, integer=True)

    @property
    def d(self):
        return self.m * self.k

    def _flat(self, w, name):
        w = np.ascontiguousarray(as_float_array(w, name)).reshape(-1)
        if w.size != self.d:
            raise ValueError(f"{name} must have {self.d} entries (shape {self.m}x{self.k}), "
                             f"got {w.size}")
        return w

    def value(self, w):
        """``lam`` times the sum of singular values."""
        w = self._flat(w, "w").reshape(self.m, self.k)
        return self.lam * float(np.linalg.svd(w, compute_uv=False).sum())

    def prox(self, z, step=1.0):
        """Singular-value soft-thresholding at ``step * lam`` (flat result)."""
        step = check_scalar(step, "step", low=0.0, low_open=True)
        return svt(self._flat(z, "z"), step * self.lam, self.m, self.k)

    def subdiff_distance(self, w, grad):
        """``dist(-grad, d psi(w))`` in the Frobenius norm."""
        return float(nuclear_subdiff_distance(self._flat(w, "w"), self._flat(grad, "grad"),
                                              self.lam, self.m, self.k))

    def rank(self, w, rtol=1e-12):
        """Rank with singular values below ``rtol * sigma_max`` counted as zero."""
        return int(matrix_rank(self._flat(w, "w"), self.m, self.k, rtol))


def _warmup():
    pen = NuclearNorm(0.1, (3, 2))
    z = np.arange(6.0)
    pen.subdiff_distance(pen.prox(z), z)
    pen.rank(z)
