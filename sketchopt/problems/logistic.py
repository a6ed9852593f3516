"""Logistic regression f(w) = 1/n sum log(1 + exp(-y_i x_i'w)) + l2/2 ||w||^2."""

import numpy as np

from .._validation import as_float_array, check_scalar, check_vector
from ._kernels import logistic_grad, logistic_hessian_weights, logistic_value


def check_labels(y, n):
    """Labels must be a length-n vector in {-1, +1}."""
    y = check_vector(y, "y", size=n)
    if not np.all(np.abs(y) == 1.0):
        raise ValueError("y must contain only -1 and +1 labels")
    return y


class Logistic:
    """Logistic loss with labels in {-1, +1} and an optional ridge term ``l2``.

    ``L = lambda_max(X'X)/(4n) + l2`` and ``mu = l2`` (the loss alone is not strongly convex
    globally).
    """

    def __init__(self, X, y, l2=0.0):
        self.X = np.ascontiguousarray(as_float_array(X, "X", ndim=2))
        self.y = check_labels(y, self.X.shape[0])
        self.l2 = check_scalar(l2, "l2", low=0.0)
        self.L = float(np.linalg.norm(self.X, 2) ** 2 / (4 * self.n)) + self.l2
        self.mu = self.l2

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def d(self):
        return self.X.shape[1]

    def value(self, w):
        """Return f(w), stable for large margins."""
        return logistic_value(self.X, self.y, np.asarray(w, dtype=np.float64), self.l2)

    def grad(self, w):
        """Return the gradient of f at w."""
        return logistic_grad(self.X, self.y, np.asarray(w, dtype=np.float64), self.l2)

    def hessian(self, w):
        """Return X' diag(s) X + l2 I with s_i = sigma(m_i)(1 - sigma(m_i))/n."""
        s = logistic_hessian_weights(self.X, self.y, np.asarray(w, dtype=np.float64))
        return (self.X.T * s) @ self.X + self.l2 * np.eye(self.d)

    def hessian_vector(self, w, v):
        """Return the Hessian at w applied to v without forming it."""
        s = logistic_hessian_weights(self.X, self.y, np.asarray(w, dtype=np.float64))
        return self.X.T @ (s * (self.X @ v)) + self.l2 * v


def _warmup():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    f = Logistic(X, np.array([1.0, -1.0]))
    f.value(np.zeros(2)), f.grad(np.zeros(2)), f.hessian(np.zeros(2))
