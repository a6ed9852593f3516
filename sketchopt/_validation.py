"""Input checks shared by the public API: every error names the offending argument."""

import numbers

import numpy as np


def as_float_array(x, name, ndim=None, allow_empty=False):
    """Return ``x`` as a finite float64 array, or raise ValueError naming ``name``."""
    try:
        raw = np.asarray(x)
        if np.iscomplexobj(raw):
            # casting would silently drop the imaginary part
            raise ValueError(f"{name} must be real, got a complex array")
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        if "must be real" in str(exc):
            raise
        raise ValueError(f"{name} must be a numeric array ({exc})") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def as_design(X, name="X"):
    """A 2-D float64 design: a NumPy array (via :func:`as_float_array`) or, for any
    ``scipy.sparse`` matrix or array, a CSC matrix with sorted, summed, finite entries."""
    import scipy.sparse as sp
    if not sp.issparse(X):
        return as_float_array(X, name, ndim=2)
    if np.iscomplexobj(X.data):
        raise ValueError(f"{name} must be real, got a complex sparse matrix")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional, got shape {X.shape}")
    try:
        out = sp.csc_matrix(X, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric sparse matrix ({exc})") from None
    out.sum_duplicates()
    out.sort_indices()
    if out.shape[0] == 0 or out.shape[1] == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(out.data)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return out


def check_square(A, name):
    """Check that ``A`` is a square finite matrix; return it as float64."""
    A = as_float_array(A, name, ndim=2)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be square, got shape {A.shape}")
    return A


def check_symmetric_pd(A, name, semidefinite=False):
    """Check symmetry (to 1e-10 relative) and positive (semi)definiteness; return float64."""
    A = check_square(A, name)
    scale = max(1.0, np.abs(A).max())
    if np.abs(A - A.T).max() > 1e-10 * scale:
        raise ValueError(f"{name} must be symmetric")
    lam_min = np.linalg.eigvalsh((A + A.T) / 2)[0]
    if semidefinite and lam_min < -1e-12 * scale:
        raise ValueError(f"{name} must be positive semidefinite (min eigenvalue {lam_min:.3g})")
    if not semidefinite and lam_min <= 0:
        raise ValueError(f"{name} must be positive definite (min eigenvalue {lam_min:.3g})")
    return A


def check_vector(x, name, size=None):
    """Check a finite 1-D float vector, optionally of a given length."""
    x = as_float_array(x, name, ndim=1)
    if size is not None and x.shape[0] != size:
        raise ValueError(f"{name} must have length {size}, got {x.shape[0]}")
    return x


def check_scalar(value, name, low=None, high=None, low_open=False, high_open=False,
                 integer=False):
    """Check a real (or integer) scalar inside a range, raising ValueError naming it."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, (kind, np.number)):
        raise ValueError(f"{name} must be {'an integer' if integer else 'a real number'}, "
                         f"got {value!r}")
    if integer and not float(value).is_integer():
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value!r}")
    return int(value) if integer else float(value)


def check_seed(seed):
    """Accept an int seed or a numpy Generator; return a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (numbers.Integral, np.integer)) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        return np.random.default_rng(int(seed))
    raise ValueError(f"seed must be a non-negative int or numpy Generator, got {seed!r}")
