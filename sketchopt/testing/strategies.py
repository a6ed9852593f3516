"""Hypothesis strategies for well-posed instances.

Condition numbers stay <= 1e6, Bernoulli probabilities in [0.05, 0.95], Rand-K sizes in
[1, d], and groups have at least one index. Matrices are built from a drawn seed so shrinking
stays cheap and every example is reproducible.
"""

import numpy as np
from hypothesis import strategies as st

from ..problems.generators import random_spd, spectrum

MAX_COND = 1e6


@st.composite
def spd_matrices(draw, min_dim=1, max_dim=8, max_cond=1e3, shapes=("geometric", "linear",
                                                                    "clustered")):
    """Symmetric positive definite matrices with condition number <= ``max_cond``."""
    if max_cond > MAX_COND:
        raise ValueError(f"max_cond must be <= {MAX_COND:g}")
    d = draw(st.integers(min_dim, max_dim))
    cond = draw(st.floats(1.0, max_cond))
    shape = draw(st.sampled_from(shapes))
    mu = draw(st.floats(0.05, 2.0))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    return random_spd(d, cond, shape, mu, seed)


@st.composite
def quadratics(draw, min_dim=1, max_dim=8, max_cond=1e3):
    """``(A, b)`` pairs: A from :func:`spd_matrices`, b Gaussian."""
    A = draw(spd_matrices(min_dim, max_dim, max_cond))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    return A, np.random.default_rng(seed).standard_normal(A.shape[0])


def _fraction(draw, lam_fraction):
    """A fraction of ``lam_max`` drawn log-uniformly, so small ones are as likely as large."""
    lo, hi = lam_fraction
    if not 0 < lo <= hi < 1:
        raise ValueError(f"lam_fraction must satisfy 0 < low <= high < 1, got {lam_fraction}")
    return float(10.0 ** draw(st.floats(np.log10(lo), np.log10(hi))))


@st.composite
def lasso_instances(draw, max_n=40, max_d=50, lam_fraction=(1e-4, 0.9), min_d=2):
    """``(X, y, lam)``: Gaussian design (tall or wide), ``lam`` a fraction of ``lam_max``.

    ``d`` ranges over ``[min_d, max_d]`` independently of ``n`` in ``[5, max_n]``, so designs
    with more columns than rows are drawn too; the fraction of ``lam_max`` is log-uniform in
    ``lam_fraction``.
    """
    n = draw(st.integers(5, max_n))
    d = draw(st.integers(min_d, max_d))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 31 - 1)))
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    lam_max = np.abs(X.T @ y).max() / n
    return X, y, _fraction(draw, lam_fraction) * lam_max


def _labels(rng, X, flip):
    """Labels of a planted linear model with a fraction ``flip`` of them flipped (both classes
    kept present)."""
    y = np.sign(X @ rng.standard_normal(X.shape[1]) + 1e-12)
    y[y == 0] = 1.0
    y[rng.random(y.size) < flip] *= -1
    y[:2] = (1.0, -1.0)
    return y


@st.composite
def logistic_instances(draw, max_n=60, max_d=20, lam_fraction=(1e-4, 0.9), min_d=2):
    """``(X, y, lam)`` for L1 logistic regression: labels in {-1, +1} of a planted model with
    10-30 % flipped, ``lam`` a log-uniform fraction of ``lam_max`` (``X'y/(2n)``)."""
    n = draw(st.integers(10, max_n))
    d = draw(st.integers(min_d, max_d))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 31 - 1)))
    X = rng.standard_normal((n, d))
    y = _labels(rng, X, draw(st.floats(0.1, 0.3)))
    lam_max = np.abs(X.T @ y).max() / (2 * n)
    return X, y, _fraction(draw, lam_fraction) * lam_max


@st.composite
def group_logistic_instances(draw, max_n=60, max_d=20, lam_fraction=(1e-4, 0.9), min_d=2,
                             weights=(None, "sqrt")):
    """``(X, y, lam, groups, weights)`` for group-L1 logistic regression; ``groups`` from
    :func:`groupings`, ``weights`` drawn from ``weights``, ``lam`` a log-uniform fraction of
    the group ``lam_max`` (``max_g ||X_g'y||/(2n c_g)``)."""
    X, y, _ = draw(logistic_instances(max_n, max_d, (0.5, 0.5), min_d))
    groups = draw(groupings(X.shape[1]))
    w = draw(st.sampled_from(weights))
    grad = X.T @ y / (2 * X.shape[0])
    c = np.array([np.sqrt(len(g)) if w == "sqrt" else 1.0 for g in groups])
    lam_max = max(np.linalg.norm(grad[g]) / cg for g, cg in zip(groups, c))
    return X, y, _fraction(draw, lam_fraction) * lam_max, groups, w


@st.composite
def groupings(draw, d):
    """A partition of ``range(d)`` into non-empty groups (a list of index arrays)."""
    seed = draw(st.integers(0, 2 ** 31 - 1))
    rng = np.random.default_rng(seed)
    n_groups = draw(st.integers(1, d))
    perm = rng.permutation(d)
    cuts = np.sort(rng.choice(np.arange(1, d), size=n_groups - 1, replace=False)) if d > 1 \
        else np.array([], dtype=int)
    return [np.sort(g) for g in np.split(perm, cuts)]


@st.composite
def sparse_lasso_instances(draw, max_n=40, max_d=60, density=(0.05, 0.5),
                           lam_fraction=(1e-3, 0.9), fmt="csc"):
    """``(X, y, lam)`` with a ``scipy.sparse`` design (``fmt``: csc, csr or coo) of drawn
    density, ``y`` from a sparse model on it, ``lam`` a log-uniform fraction of ``lam_max``."""
    import scipy.sparse as sp
    n = draw(st.integers(5, max_n))
    d = draw(st.integers(2, max_d))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    X = sp.random(n, d, density=draw(st.floats(*density)), random_state=seed, format=fmt)
    rng = np.random.default_rng(seed)
    y = X @ np.where(rng.random(d) < 0.2, rng.standard_normal(d), 0.0) + \
        0.1 * rng.standard_normal(n)
    lam_max = np.abs(X.T @ y).max() / n
    if lam_max == 0:                      # an all-zero draw: any lam gives zero
        lam_max = 1.0
    return X, y, _fraction(draw, lam_fraction) * lam_max


def sample_weights(n, zeros=True):
    """Sample weights in [0, 3] (some exactly 0 if ``zeros``), at least two positive (one
    weighted sample would leave nothing to fit beside an intercept)."""
    low = st.sampled_from([0.0]) | st.floats(0.05, 3.0) if zeros else st.floats(0.05, 3.0)
    return st.lists(low, min_size=n, max_size=n).map(np.array).filter(
        lambda s: np.sum(s > 0) >= min(2, n))


def feature_weights(d, zeros=True):
    """Per-feature penalty weights in [0, 3] (0: unpenalized), at least one positive."""
    low = st.sampled_from([0.0]) | st.floats(0.05, 3.0) if zeros else st.floats(0.05, 3.0)
    return st.lists(low, min_size=d, max_size=d).map(np.array).filter(lambda c: c.sum() > 0)


def bernoulli_probabilities(d):
    """Per-coordinate Bernoulli probabilities in [0.05, 0.95]."""
    return st.lists(st.floats(0.05, 0.95), min_size=d, max_size=d).map(np.array)


def sketch_sizes(d):
    """Rand-K sizes K in [1, d]."""
    return st.integers(1, d)


__all__ = ["spd_matrices", "quadratics", "lasso_instances", "logistic_instances",
           "group_logistic_instances", "sparse_lasso_instances", "sample_weights",
           "feature_weights", "groupings",
           "bernoulli_probabilities", "sketch_sizes", "spectrum"]
