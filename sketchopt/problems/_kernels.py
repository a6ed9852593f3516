"""Numba kernels of the smooth losses (module level, cached on disk)."""

import numpy as np
from numba import njit


@njit(cache=True)
def log1pexp(t):
    """Stable log(1 + exp(t)) for a scalar."""
    if t > 0.0:
        return t + np.log1p(np.exp(-t))
    return np.log1p(np.exp(t))


@njit(cache=True)
def sigmoid(t):
    """Stable 1 / (1 + exp(-t)) for a scalar."""
    if t >= 0.0:
        return 1.0 / (1.0 + np.exp(-t))
    e = np.exp(t)
    return e / (1.0 + e)


@njit(cache=True)
def logistic_value(X, y, w, l2):
    """1/n sum log(1 + exp(-y_i x_i'w)) + l2/2 ||w||^2."""
    n = X.shape[0]
    z = X @ w
    s = 0.0
    for i in range(n):
        s += log1pexp(-y[i] * z[i])
    return s / n + 0.5 * l2 * (w @ w)


@njit(cache=True)
def logistic_grad(X, y, w, l2):
    """Gradient of :func:`logistic_value`."""
    n = X.shape[0]
    z = X @ w
    r = np.empty(n)
    for i in range(n):
        r[i] = -y[i] * sigmoid(-y[i] * z[i]) / n
    return X.T @ r + l2 * w


@njit(cache=True)
def logistic_hessian_weights(X, y, w):
    """Per-sample curvature sigma(z)(1 - sigma(z)) / n at the margins z = y * Xw."""
    n = X.shape[0]
    z = X @ w
    out = np.empty(n)
    for i in range(n):
        s = sigmoid(y[i] * z[i])
        out[i] = s * (1.0 - s) / n
    return out
