"""Reference methods on quadratics: GD and SGD with additive noise.

Each method has a Numba kernel (one call per run) and a short NumPy twin that is the readable
definition; tests require equal iterates on the same draws.
"""

import time

import numpy as np
from numba import njit

from .._validation import check_scalar, check_vector
from ._trace import Trace


@njit(cache=True)
def _sgd_quadratic_kernel(A, b, x0, step, noise):
    """x_{t+1} = x_t - step * (A x_t - b + noise_t); returns all iterates (T+1, d)."""
    T, d = noise.shape
    xs = np.empty((T + 1, d))
    xs[0] = x0
    x = x0.copy()
    for t in range(T):
        g = A @ x - b
        for i in range(d):
            x[i] -= step * (g[i] + noise[t, i])
        xs[t + 1] = x
    return xs


def sgd_quadratic_twin(A, b, x0, step, noise):
    """NumPy twin of :func:`sgd_quadratic` (same draws, same iterates)."""
    xs = [np.array(x0, dtype=float)]
    for xi in noise:
        xs.append(xs[-1] - step * (A @ xs[-1] - b + xi))
    return np.array(xs)


def sgd_quadratic(quad, x0, step, noise):
    """SGD on a :class:`~sketchopt.problems.Quadratic` with given additive gradient noise.

    Parameters
    ----------
    quad : Quadratic
        The objective 1/2 x'Ax - b'x.
    x0 : ndarray of shape (d,)
        Starting point.
    step : float
        Step size (> 0).
    noise : ndarray of shape (T, d)
        Noise added to the gradient at each step (zeros give plain GD).

    Returns
    -------
    Trace
        Iterates at every step and the number of gradient evaluations.
    """
    x0 = check_vector(x0, "x0", size=quad.d)
    step = check_scalar(step, "step", low=0.0, low_open=True)
    noise = np.ascontiguousarray(noise, dtype=np.float64)
    if noise.ndim != 2 or noise.shape[1] != quad.d:
        raise ValueError(f"noise must have shape (T, {quad.d}), got {noise.shape}")
    t0 = time.perf_counter()
    xs = _sgd_quadratic_kernel(quad.A, quad.b, x0, step, noise)
    return Trace(np.arange(noise.shape[0] + 1), xs, grad_evals={"f": noise.shape[0]},
                 seconds=time.perf_counter() - t0, meta={"method": "sgd", "step": step})


def gd_quadratic(quad, x0, step, T):
    """Gradient descent with a constant step on a quadratic (``T`` steps)."""
    T = check_scalar(T, "T", low=0, integer=True)
    return sgd_quadratic(quad, x0, step, np.zeros((T, quad.d)))


def sgd_moment_recursion(quad, step, sigma):
    """Exact moments of SGD with isotropic additive noise on a quadratic.

    The error ``e_t = x_t - x*`` follows ``e_{t+1} = (I - g A) e_t - g xi_t`` with
    ``xi ~ N(0, sigma^2/d I)`` (so ``E||xi||^2 = sigma^2``).

    Returns
    -------
    LinearRecursion
    """
    from ..exact import LinearRecursion
    step = check_scalar(step, "step", low=0.0, low_open=True)
    sigma = check_scalar(sigma, "sigma", low=0.0)
    d = quad.d
    B = np.eye(d) - step * quad.A
    return LinearRecursion.from_moments(
        B, np.kron(B, B), np.zeros((d * d, d)), np.zeros(d),
        (step ** 2 * sigma ** 2 / d) * np.eye(d).reshape(-1))


def _warmup():
    from ..problems import random_quadratic
    q = random_quadratic(2, seed=0)
    sgd_quadratic(q, np.zeros(2), 0.1, np.zeros((2, 2)))
