"""Closed-form solutions: quadratic minimiser, (group) soft-thresholding, orthogonal lasso."""

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from .._validation import as_float_array, check_scalar, check_symmetric_pd, check_vector
from ..penalties import Groups, _group_soft_threshold, _soft_threshold


def _thresholds(t, shape, what):
    """``t`` broadcast to ``shape`` (float64, >= 0), or a ValueError that names ``t``."""
    t = as_float_array(t, "t")
    try:
        out = np.broadcast_to(t, shape)
    except ValueError:
        raise ValueError(f"t must be a scalar or {what} (shape {shape}), got shape {t.shape}"
                         ) from None
    if np.any(out < 0):
        raise ValueError("t must be >= 0")
    return np.ascontiguousarray(out, dtype=np.float64)


def quadratic_minimizer(A, b):
    """``argmin_x 1/2 x'Ax - b'x = A^{-1} b`` for symmetric positive definite ``A``.

    Solved by a Cholesky factorisation (which also certifies definiteness).
    """
    A = check_symmetric_pd(A, "A")
    b = check_vector(b, "b", size=A.shape[0])
    return cho_solve(cho_factor(A), b)


def soft_threshold(z, t):
    """``sign(z) * max(|z| - t, 0)`` entrywise; ``t`` a scalar or an array like ``z``."""
    z = as_float_array(z, "z")
    t_arr = _thresholds(t, z.shape, "an array like z")
    return _soft_threshold(z.ravel(), t_arr.ravel()).reshape(z.shape)


def group_soft_threshold(z, t, groups):
    """``max(1 - t_g/||z_g||, 0) z_g`` per group; ``t`` a scalar or one value per group."""
    z = check_vector(z, "z")
    grp = groups if isinstance(groups, Groups) else Groups(groups, z.size)
    t_arr = _thresholds(t, (grp.n_groups,), "one value per group")
    return _group_soft_threshold(z, t_arr, grp.order, grp.ptr)


def lasso_orthogonal(X, y, lam):
    """Lasso solution when ``X'X / n = I``: ``soft_threshold(X'y / n, lam)``.

    Raises ValueError if the columns are not orthonormal after scaling (to 1e-10).
    """
    X = as_float_array(X, "X", ndim=2)
    y = check_vector(y, "y", size=X.shape[0])
    lam = check_scalar(lam, "lam", low=0.0)
    n, d = X.shape
    if np.abs(X.T @ X / n - np.eye(d)).max() > 1e-10:
        raise ValueError("X must satisfy X'X/n = I for the orthogonal closed form")
    return soft_threshold(X.T @ y / n, lam)
