"""Quadratic f(x) = 1/2 x'Ax - b'x with A symmetric positive definite."""

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from .._validation import check_symmetric_pd, check_vector


class Quadratic:
    """Smooth strongly convex quadratic ``f(x) = 1/2 x'Ax - b'x``.

    Parameters
    ----------
    A : ndarray of shape (d, d)
        Symmetric positive definite Hessian.
    b : ndarray of shape (d,)
        Linear term.

    Attributes
    ----------
    L, mu : float
        Largest and smallest eigenvalue of ``A`` (smoothness, strong convexity).
    """

    def __init__(self, A, b):
        self.A = check_symmetric_pd(A, "A")
        self.b = check_vector(b, "b", size=self.A.shape[0])
        eig = np.linalg.eigvalsh(self.A)
        self.mu, self.L = float(eig[0]), float(eig[-1])

    @property
    def d(self):
        return self.A.shape[0]

    def value(self, x):
        """Return f(x)."""
        return 0.5 * x @ self.A @ x - self.b @ x

    def grad(self, x):
        """Return Ax - b."""
        return self.A @ x - self.b

    def hessian(self, x=None):
        """Return A (the Hessian does not depend on x)."""
        return self.A

    def minimizer(self):
        """Return x* = A^{-1} b by a Cholesky solve."""
        return cho_solve(cho_factor(self.A), self.b)

    def min_value(self):
        """Return f(x*) = -1/2 b'A^{-1}b."""
        return -0.5 * self.b @ self.minimizer()
