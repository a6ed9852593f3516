"""Hypothesis strategies for well-posed instances (CLAIMS.md ranges).

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


@st.composite
def lasso_instances(draw, max_n=40, max_d=30, lam_fraction=(0.05, 0.9)):
    """``(X, y, lam)`` with Gaussian design and ``lam`` a fraction of ``lam_max``."""
    n = draw(st.integers(5, max_n))
    d = draw(st.integers(1, max_d))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    lam_max = np.abs(X.T @ y).max() / n
    frac = draw(st.floats(*lam_fraction))
    return X, y, frac * lam_max


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


def bernoulli_probabilities(d):
    """Per-coordinate Bernoulli probabilities in [0.05, 0.95]."""
    return st.lists(st.floats(0.05, 0.95), min_size=d, max_size=d).map(np.array)


def sketch_sizes(d):
    """Rand-K sizes K in [1, d]."""
    return st.integers(1, d)


__all__ = ["spd_matrices", "quadratics", "lasso_instances", "groupings",
           "bernoulli_probabilities", "sketch_sizes", "spectrum"]
