import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt import stats
from sketchopt.exact import LinearRecursion, sample_recursion


def _random_recursion(seed, k=3, d=3, scale=0.5):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((k, d, d)) * scale / np.sqrt(d)
    c = rng.standard_normal((k, d))
    w = rng.random(k) + 0.1
    return B, c, w / w.sum()


def _enumerate(B, c, w, e0, T):
    """Brute force over all k^T paths."""
    d = B.shape[1]
    m, P = np.zeros(d), np.zeros((d, d))
    for path in itertools.product(range(len(w)), repeat=T):
        e, p = e0.copy(), 1.0
        for j in path:
            e = B[j] @ e + c[j]
            p *= w[j]
        m += p * e
        P += p * np.outer(e, e)
    return m, P


@settings(max_examples=15)
@given(st.integers(0, 10 ** 6), st.integers(1, 3), st.integers(1, 4), st.integers(0, 4))
def test_moments_equal_enumeration(seed, k, d, T):
    B, c, w = _random_recursion(seed, k, d)
    e0 = np.random.default_rng(seed + 1).standard_normal(d)
    m, P = LinearRecursion(B, c, w).moments(e0, T)
    m_bf, P_bf = _enumerate(B, c, w, e0, T)
    np.testing.assert_allclose(m[-1], m_bf, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(P[-1], P_bf, rtol=1e-10, atol=1e-12)


def test_from_moments_matches_outcomes():
    B, c, w = _random_recursion(3)
    R = LinearRecursion(B, c, w)
    EBB = sum(wk * np.kron(Bk, Bk) for wk, Bk in zip(w, B))
    cross = sum(wk * (np.kron(Bk, ck[:, None]) + np.kron(ck[:, None], Bk))
                for wk, Bk, ck in zip(w, B, c))
    Ecc = sum(wk * np.outer(ck, ck).ravel() for wk, ck in zip(w, c))
    R2 = LinearRecursion.from_moments(np.einsum("k,kij->ij", w, B), EBB, cross, w @ c, Ecc)
    e0 = np.ones(3)
    np.testing.assert_allclose(R.expected_quadratic(e0, 10), R2.expected_quadratic(e0, 10),
                               rtol=1e-12)


def test_matches_monte_carlo_within_rule():
    B, c, w = _random_recursion(5)
    e0 = np.array([1.0, -2.0, 0.5])
    T = 6
    exact = LinearRecursion(B, c, w).expected_quadratic(e0, T)
    e = sample_recursion(B, c, w, e0, T, 20000, seed=11)
    assert stats.mc_equal(np.sum(e ** 2, axis=2), exact).passed


def test_stationary_is_fixed_point_and_limit():
    B, c, w = _random_recursion(7, scale=0.3)
    R = LinearRecursion(B, c, w)
    m, P = R.stationary()
    _, Ps = R.moments(np.zeros(3), 400)
    np.testing.assert_allclose(Ps[-1], P, rtol=1e-9, atol=1e-12)
    s = np.concatenate([m, P.ravel()])
    np.testing.assert_allclose(R.operator @ s + R.offset, s, rtol=1e-10, atol=1e-12)


def test_divergent_recursion_refuses_stationary():
    B = np.array([[[1.5]]])
    R = LinearRecursion(B, np.zeros((1, 1)), np.array([1.0]))
    with pytest.raises(ValueError, match="does not converge"):
        R.stationary()


def test_weighted_quadratic_observable():
    B, c, w = _random_recursion(9)
    R = LinearRecursion(B, c, w)
    H = np.diag([1.0, 2.0, 3.0])
    _, P = R.moments(np.ones(3), 5)
    np.testing.assert_allclose(R.expected_quadratic(np.ones(3), 5, H),
                               [np.trace(H @ p) for p in P], rtol=1e-12)


@pytest.mark.parametrize("bad, match", [
    (dict(weights=np.array([0.5, 0.6])), "weights"),
    (dict(weights=np.array([1.5, -0.5])), "weights"),
    (dict(c=np.zeros((2, 3))), "c must have shape"),
])
def test_validation(bad, match):
    args = dict(B=np.zeros((2, 2, 2)), c=np.zeros((2, 2)), weights=np.array([0.5, 0.5]))
    args.update(bad)
    with pytest.raises(ValueError, match=match):
        LinearRecursion(**args)
