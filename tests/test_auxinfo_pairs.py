"""Problem pairs with a known Hessian similarity delta."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt.problems import Logistic, random_spd
from sketchopt.problems.pairs import (LOGISTIC_KINDS, flipped_label_bias, hessian_similarity,
                                      logistic_pair, quadratic_pair, random_quadratic_pair,
                                      segment_hessian_gap, toy_pair)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10 ** 6), d=st.integers(1, 8), delta=st.floats(0.0, 5.0),
       spread=st.booleans())
def test_quadratic_pair_has_exact_delta(seed, d, delta, spread):
    if spread:  # a difference of both signs keeps B positive definite only below mu(A) = 1
        delta = min(delta, 0.9)
    pair = random_quadratic_pair(d, delta, cond=20.0, direction="spread" if spread else None,
                                 seed=seed)
    diff = pair.f.A - pair.h.A
    assert abs(np.linalg.norm(diff, 2) - delta) <= 1e-10 * max(1.0, delta)
    sim = hessian_similarity(pair)
    assert sim.method == "exact" and abs(sim.delta - delta) <= 1e-10 * max(1.0, delta)


def test_quadratic_pair_direction_and_sign():
    A = random_spd(5, 10.0, seed=0)
    u = np.arange(1.0, 6.0)
    pair = quadratic_pair(A, np.zeros(5), 0.5, direction=u, sign=-1.0)
    D = pair.h.A - pair.f.A
    np.testing.assert_allclose(D, -0.5 * np.outer(u, u) / (u @ u), atol=1e-14)
    with pytest.raises(ValueError, match="delta too large"):
        quadratic_pair(A, np.zeros(5), 100.0, sign=-1.0)
    with pytest.raises(ValueError, match="direction"):
        quadratic_pair(A, np.zeros(5), 1.0, direction=np.zeros(5))


def test_toy_pair_formulas():
    pair = toy_pair(2.0, 3.0)
    for x in (-1.0, 0.0, 2.5):
        assert abs(pair.bias(np.array([x]))[0] - (3.0 - 2.0 * x)) < 1e-14
    assert abs(pair.h.minimizer()[0] - 1.0) < 1e-15
    with pytest.raises(ValueError, match="delta"):
        toy_pair(-1.0, 1.0)


@pytest.mark.parametrize("kind", LOGISTIC_KINDS)
def test_logistic_pairs_build_and_similarity(kind):
    pair = logistic_pair(kind, n=40, d=4, seed=1)
    assert isinstance(pair.f, Logistic) and pair.h.d == 4
    sim = hessian_similarity(pair, n_points=8)
    if kind in ("flipped", "noisy_labels"):
        assert sim.method == "exact" and sim.delta == 0.0
    else:
        assert sim.method == "certified_bound" and 0.0 <= sim.estimate <= sim.delta


def test_flipped_labels_delta_zero_and_constant_bias():
    pair = logistic_pair("flipped", n=50, d=5, fraction=0.3, seed=3)
    rng = np.random.default_rng(0)
    bias = flipped_label_bias(pair)
    for _ in range(5):
        w = rng.standard_normal(5) * 2
        assert np.abs(pair.f.hessian(w) - pair.h.hessian(w)).max() <= 1e-14
        np.testing.assert_allclose(pair.bias(w), bias, rtol=1e-10, atol=1e-14)


def test_certified_bound_dominates_segment_gaps():
    pair = logistic_pair("other", n=60, d=4, seed=2)
    sim = hessian_similarity(pair)
    rng = np.random.default_rng(1)
    for _ in range(3):
        x, y = rng.standard_normal((2, 4)) * 3
        assert segment_hessian_gap(pair, x, y, n_grid=16) <= sim.delta * (1 + 1e-12)


def test_pair_validation():
    with pytest.raises(ValueError, match="kind"):
        logistic_pair("rotten")
    with pytest.raises(ValueError, match="fraction"):
        logistic_pair("flipped", fraction=1.5)
    with pytest.raises(ValueError, match="m"):
        logistic_pair("subsample", n=10, m=20)
    with pytest.raises(ValueError, match="pair"):
        hessian_similarity("not a pair")
