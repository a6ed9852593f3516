"""Least squares f(w) = 1/(2n) ||y - Xw||^2."""

import numpy as np

from .._validation import as_float_array, check_vector


class LeastSquares:
    """Least-squares datafit ``f(w) = 1/(2n) ||y - Xw||^2``.

    ``L`` and ``mu`` are the extreme eigenvalues of ``X'X / n`` (``mu`` is 0 when ``n < d``).
    """

    def __init__(self, X, y):
        self.X = as_float_array(X, "X", ndim=2)
        self.y = check_vector(y, "y", size=self.X.shape[0])
        eig = np.linalg.eigvalsh(self.X.T @ self.X / self.n) if self.d <= 4000 else None
        if eig is not None:
            self.mu, self.L = max(float(eig[0]), 0.0), float(eig[-1])
        else:  # power iteration bound would do; the exact spectrum is too costly here
            self.mu, self.L = 0.0, float(np.linalg.norm(self.X, 2) ** 2 / self.n)

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def d(self):
        return self.X.shape[1]

    def value(self, w):
        """Return f(w)."""
        r = self.y - self.X @ w
        return 0.5 * (r @ r) / self.n

    def grad(self, w):
        """Return -X'(y - Xw)/n."""
        return -self.X.T @ (self.y - self.X @ w) / self.n

    def hessian(self, w=None):
        """Return X'X/n."""
        return self.X.T @ self.X / self.n

    def hessian_vector(self, w, v):
        """Return (X'X/n) v without forming the Hessian."""
        return self.X.T @ (self.X @ v) / self.n
