"""Exact analysis on quadratics (D3, D3b, augmented moments) against brute force and kernels."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt import stats
from sketchopt.methods import auxinfo as ax
from sketchopt.methods import auxinfo_exact as ex
from sketchopt.methods.auxinfo_noise import NoiseModel
from sketchopt.problems.pairs import random_quadratic_pair


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10 ** 6), d=st.integers(1, 6), K=st.integers(1, 12),
       frac=st.floats(0.05, 0.95))
def test_inner_sum_closed_form(seed, d, K, frac):
    pair = random_quadratic_pair(d, 0.5, cond=50.0, seed=seed)
    B = pair.h.A
    eta = frac / np.linalg.eigvalsh(B)[-1]
    np.testing.assert_allclose(ex.inner_sum_closed(B, eta, K), ex.inner_sum(B, eta, K),
                               rtol=1e-10, atol=1e-12)


def test_limit_and_delta_bound():
    pair = random_quadratic_pair(6, 0.8, direction="spread", seed=3)
    A, B = pair.f.A, pair.h.A
    eta = 0.5 / np.linalg.eigvalsh(B)[-1]
    M = ex.contraction_matrix(A, B, eta, 4000)
    np.testing.assert_allclose(M, ex.limit_matrix(A, B), rtol=1e-10, atol=1e-12)
    assert ex.spectral_radius(ex.limit_matrix(A, B)) <= ex.delta_bound(A, B) * (1 + 1e-12)


@pytest.mark.parametrize("variant", ["V1", "V2"])
@pytest.mark.parametrize("method", ["mom", "mvr"])
@pytest.mark.parametrize("share_first", [False, True])
def test_exact_means_equal_deterministic_kernel(variant, method, share_first):
    pair = random_quadratic_pair(4, 0.4, cond=4.0, direction="spread", bias=1.0, seed=2)
    x0 = np.ones(4)
    res = ex.exact_moments(pair, x0, 0.1, 3, 20, 0.3, method, variant, None, share_first)
    run = ax.aux_mom if method == "mom" else ax.aux_mvr
    tr = run(pair, x0, 0.1, 3, 20, 0.3, variant, share_first=share_first)
    np.testing.assert_allclose(res["mean_x"], tr.x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["grad2"], tr.stats["grad_norm2"], rtol=1e-9, atol=1e-12)


def test_d3b_matrix_is_the_augmented_mom_block():
    pair = random_quadratic_pair(3, 0.5, seed=1)
    A, B = pair.f.A, pair.h.A
    G2 = ex.momentum_matrix_v1(A, B, 0.1, 5, 0.4)
    G3 = ex.augmented_system(A, B, 0.1, 5, 0.4, "mom", "V1").G
    keep = np.r_[0:3, 6:9]
    np.testing.assert_allclose(G3[np.ix_(keep, keep)], G2, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("method, variant", [("mom", "V1"), ("mvr", "V1"), ("mvr", "V2")])
def test_exact_second_moments_match_monte_carlo(method, variant):
    pair = random_quadratic_pair(2, 0.4, cond=3.0, bias=1.0, seed=5)
    nm = NoiseModel.additive(0.5, 0.4, 0.7)
    T, runs, x0 = 6, 1500, np.ones(2)
    res = ex.exact_moments(pair, x0, 0.1, 2, T, 0.3, method, variant, nm)
    run = ax.aux_mom if method == "mom" else ax.aux_mvr
    seeds = stats.derive_seeds(11, runs)
    x_star = pair.f.minimizer()
    samples = np.empty((runs, T))
    for r in range(runs):
        xs = run(pair, x0, 0.1, 2, T, 0.3, variant, nm, seed=seeds[r]).x
        samples[r] = np.sum((xs[1:] - x_star) ** 2, axis=1)
    assert stats.mc_equal(samples, res["x_err2"][1:]).passed


def test_exact_validation():
    pair = random_quadratic_pair(2, 0.1, seed=0)
    with pytest.raises(ValueError, match="noise"):
        ex.exact_moments(pair, np.ones(2), 0.1, 2, 3, 0.5, noise=NoiseModel.minibatch(2))
    with pytest.raises(ValueError, match="method"):
        ex.augmented_system(pair.f.A, pair.h.A, 0.1, 2, 0.5, method="sgd")
    with pytest.raises(ValueError, match="B"):
        ex.contraction_matrix(pair.f.A, -pair.h.A, 0.1, 2)
