"""Sketch moments in closed form vs brute-force enumeration; samplers; validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sketchopt import stats
from sketchopt.sketches import Bernoulli, PermK, RandK
from sketchopt.testing.strategies import bernoulli_probabilities

RT, AT = 1e-10, 1e-12


@st.composite
def sketches(draw, max_d=8):
    d = draw(st.integers(1, max_d))
    if draw(st.booleans()):
        return Bernoulli(draw(bernoulli_probabilities(d)))
    return RandK(d, draw(st.integers(1, d)))


def _check_moments(sk):
    vals, w = sk.enumerate()
    assert np.isclose(w.sum(), 1.0, rtol=0, atol=1e-14) and np.all(w >= 0)
    np.testing.assert_allclose(w @ vals, np.ones(sk.d), rtol=RT, atol=AT)  # E[S] = I
    Ess = np.einsum("k,ki,kj->ij", w, vals, vals)
    np.testing.assert_allclose(sk.outer_moment(), Ess, rtol=RT, atol=AT)
    np.testing.assert_allclose(sk.second_moment(), np.diag(np.diag(Ess)), rtol=RT, atol=AT)
    for i in range(sk.d):
        E3 = np.einsum("k,k,kj,kl->jl", w, vals[:, i], vals, vals)
        np.testing.assert_allclose(sk.third_moment_slice(i), E3, rtol=RT, atol=AT)
    LS = np.max(vals ** 2, axis=1)  # lambda_max(S'S) per outcome
    assert np.isclose(sk.L_S_max, LS.max(), rtol=RT)
    assert sk.mu_D >= 1 - 1e-12 and sk.L_D <= sk.L_S_max * (1 + 1e-12)  # spec D5


@settings(max_examples=30, deadline=None)
@given(sketches())
def test_moments_match_enumeration(sk):
    _check_moments(sk)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 8), st.data())
def test_paper_closed_forms(d, data):
    """E[S'S] = Diag(1/p) (Bernoulli), (d/K) I (Rand-K); constants of the table in spec D5."""
    p = data.draw(bernoulli_probabilities(d))
    bern = Bernoulli(p)
    np.testing.assert_allclose(bern.second_moment(), np.diag(1 / p), rtol=RT)
    assert np.isclose(bern.L_D, 1 / p.min()) and np.isclose(bern.mu_D, 1 / p.max())
    assert np.isclose(bern.L_S_max, 1 / p.min() ** 2)
    K = data.draw(st.integers(1, d))
    rk = RandK(d, K)
    np.testing.assert_allclose(rk.second_moment(), d / K * np.eye(d), rtol=RT)
    assert np.isclose(rk.L_D, d / K) and np.isclose(rk.L_S_max, (d / K) ** 2)


def test_bernoulli_with_sure_coordinates():
    sk = Bernoulli(np.array([1.0, 0.5, 1.0, 0.25]))
    assert sk.n_outcomes == 4
    _check_moments(sk)


@pytest.mark.parametrize("d,M", [(4, 2), (6, 3), (6, 2), (3, 3)])
def test_permk_partition_and_marginals(d, M):
    pk = PermK(d, M)
    vals, w = pk.enumerate()
    assert vals.shape == (pk.n_outcomes, M, d)
    np.testing.assert_allclose(vals.mean(axis=1), 1.0)  # (1/M) sum_i S_i = I every draw
    marg = pk.marginal()
    for i in range(M):
        Ess = np.einsum("k,ki,kj->ij", w, vals[:, i], vals[:, i])
        np.testing.assert_allclose(Ess, marg.outer_moment(), rtol=RT, atol=AT)
    idx = pk.sample(50, seed=3)
    assert idx.shape == (50, M, d // M)
    assert all(sorted(r.ravel()) == list(range(d)) for r in idx)


@pytest.mark.parametrize("sk", [RandK(10, 3), Bernoulli(np.linspace(0.1, 0.9, 10))],
                         ids=["randk", "bernoulli"])
def test_sampler_inclusion_frequencies(sk):
    """Sampled diagonals have mean 1 and E[s_i^2] = scale_i (MC rule of CLAIMS.md)."""
    vals = sk.sample_values(20000, seed=11)
    res = stats.mc_equal(np.hstack([vals, vals ** 2]),
                         np.concatenate([np.ones(sk.d), sk.second_moment_diag()]))
    assert res.passed, res.summary()


def test_randk_sample_distinct():
    idx = RandK(7, 4).sample(200, seed=0)
    assert idx.shape == (200, 4) and idx.min() >= 0 and idx.max() < 7
    assert all(len(set(r)) == 4 for r in idx)
    assert np.array_equal(idx, RandK(7, 4).sample(200, seed=0))  # reproducible


def test_enumeration_refused_when_too_large():
    with pytest.raises(ValueError, match="max_outcomes"):
        RandK(40, 20).enumerate()


@pytest.mark.parametrize("make,arg", [
    (lambda: Bernoulli(0.0, 3), "p"), (lambda: Bernoulli(1.5, 3), "p"),
    (lambda: Bernoulli(np.array([0.5, -0.1])), "p"), (lambda: Bernoulli(0.5), "d"),
    (lambda: RandK(5, 0), "K"), (lambda: RandK(5, 6), "K"), (lambda: RandK(0, 1), "d"),
    (lambda: PermK(6, 4), "M"), (lambda: PermK(6, 7), "M"),
    (lambda: RandK(5, 2).sample(-1, 0), "T"), (lambda: RandK(5, 2).sample(3, -2), "seed"),
])
def test_validation(make, arg):
    with pytest.raises(ValueError, match=arg):
        make()
