"""Seeded instance generators with controlled conditioning and known ground truth."""

import numpy as np
from scipy.linalg import toeplitz

from .._validation import check_scalar, check_seed

SPECTRA = ("geometric", "linear", "clustered")


def spectrum(d, cond, shape="geometric", mu=1.0):
    """Eigenvalues from ``mu`` to ``mu * cond`` (ascending).

    Parameters
    ----------
    d : int
        Dimension.
    cond : float
        Condition number (>= 1).
    shape : {"geometric", "linear", "clustered"}
        Spacing: log-uniform, uniform, or all but the largest eigenvalue at ``mu``.
    mu : float
        Smallest eigenvalue (> 0).
    """
    d = check_scalar(d, "d", low=1, integer=True)
    cond = check_scalar(cond, "cond", low=1.0)
    mu = check_scalar(mu, "mu", low=0.0, low_open=True)
    if shape == "geometric":
        eig = mu * cond ** np.linspace(0.0, 1.0, d)
    elif shape == "linear":
        eig = mu * np.linspace(1.0, cond, d)
    elif shape == "clustered":
        eig = np.full(d, mu)
        eig[-1] = mu * cond
    else:
        raise ValueError(f"shape must be one of {SPECTRA}, got {shape!r}")
    if d == 1:
        eig = np.array([mu])
    return eig


def random_orthogonal(d, seed):
    """Haar-distributed orthogonal matrix (QR of a Gaussian with sign fix)."""
    rng = check_seed(seed)
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.sign(np.diag(R))


def random_spd(d, cond=10.0, shape="geometric", mu=1.0, seed=0):
    """Random symmetric positive definite matrix with a prescribed spectrum.

    Returns ``Q diag(eig) Q'`` with ``Q`` Haar orthogonal, symmetrised exactly.
    """
    rng = check_seed(seed)
    eig = spectrum(d, cond, shape, mu)
    Q = random_orthogonal(d, rng)
    A = (Q * eig) @ Q.T
    return (A + A.T) / 2


def random_quadratic(d, cond=10.0, shape="geometric", mu=1.0, seed=0):
    """A :class:`~sketchopt.problems.Quadratic` with Gaussian ``b``."""
    from .quadratic import Quadratic
    rng = check_seed(seed)
    A = random_spd(d, cond, shape, mu, rng)
    return Quadratic(A, rng.standard_normal(d))


def gaussian_spd(d, alpha=0.1, seed=0):
    """``Q Q'/d + alpha I`` with Gaussian Q (the generator of the MAST spec)."""
    rng = check_seed(seed)
    alpha = check_scalar(alpha, "alpha", low=0.0, low_open=True)
    Q = rng.standard_normal((d, d))
    A = Q @ Q.T / d + alpha * np.eye(d)
    return (A + A.T) / 2


def toeplitz_design(n, d, rho=0.0, seed=0):
    """Gaussian design whose rows have covariance ``rho^|i-j|`` (Toeplitz)."""
    n = check_scalar(n, "n", low=1, integer=True)
    d = check_scalar(d, "d", low=1, integer=True)
    rho = check_scalar(rho, "rho", low=0.0, high=1.0, high_open=True)
    rng = check_seed(seed)
    Z = rng.standard_normal((n, d))
    if rho == 0.0:
        return Z
    # AR(1) recursion has exactly the Toeplitz covariance and costs O(nd), not O(d^3).
    X = np.empty_like(Z)
    X[:, 0] = Z[:, 0]
    c = np.sqrt(1.0 - rho ** 2)
    for j in range(1, d):
        X[:, j] = rho * X[:, j - 1] + c * Z[:, j]
    return X


def toeplitz_covariance(d, rho):
    """The covariance ``rho^|i-j|`` of :func:`toeplitz_design`."""
    return toeplitz(rho ** np.arange(d))


def sparse_truth(d, k, amplitude=1.0, seed=0):
    """Sparse vector with ``k`` nonzeros of random sign and magnitude in [amplitude, 2 amplitude].

    Returns ``(w, support)`` with the support sorted.
    """
    d = check_scalar(d, "d", low=1, integer=True)
    k = check_scalar(k, "k", low=0, high=d, integer=True)
    rng = check_seed(seed)
    support = np.sort(rng.choice(d, size=k, replace=False))
    w = np.zeros(d)
    w[support] = rng.choice([-1.0, 1.0], size=k) * amplitude * (1.0 + rng.random(k))
    return w, support


def regression_data(n, d, k, rho=0.0, snr=10.0, seed=0):
    """Sparse linear model ``y = X w + noise`` with ``||Xw|| / ||noise|| = snr``.

    Returns ``(X, y, w_true, support)``.
    """
    rng = check_seed(seed)
    X = toeplitz_design(n, d, rho, rng)
    w, support = sparse_truth(d, k, seed=rng)
    signal = X @ w
    noise = rng.standard_normal(n)
    scale = np.linalg.norm(signal) / (snr * np.linalg.norm(noise)) if k > 0 else 1.0
    return X, signal + scale * noise, w, support


def logistic_data(n, d, k, rho=0.0, label_noise=0.0, amplitude=1.0, seed=0):
    """Labels in {-1, +1} from a sparse logistic model, then flipped with prob ``label_noise``.

    Returns ``(X, y, w_true, support)``.
    """
    label_noise = check_scalar(label_noise, "label_noise", low=0.0, high=0.5)
    rng = check_seed(seed)
    X = toeplitz_design(n, d, rho, rng)
    w, support = sparse_truth(d, k, amplitude, seed=rng)
    prob = 1.0 / (1.0 + np.exp(-(X @ w)))
    y = np.where(rng.random(n) < prob, 1.0, -1.0)
    flip = rng.random(n) < label_noise
    y[flip] = -y[flip]
    return X, y, w, support
