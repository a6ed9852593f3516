"""Exact analysis on quadratics (D3, D3b, augmented moments) against brute force and kernels."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt import stats
from sketchopt.methods import auxinfo as ax
from sketchopt.methods import auxinfo_exact as ex
from sketchopt.methods.auxinfo_noise import Draws, NoiseModel
from sketchopt.problems.pairs import least_squares_pair, random_quadratic_pair


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


def _assert_e2_step2(pair, res, tr, variant):
    """``e2`` and ``step2`` of :func:`exact_moments` against a deterministic kernel run."""
    target = np.array([pair.f.grad(x) - (pair.h.grad(x) if variant == "V1" else 0.0)
                       for x in tr.x[:-1]])
    e2 = np.sum((tr.stats["m"] - target) ** 2, axis=1)
    step2 = np.sum(np.diff(tr.x, axis=0) ** 2, axis=1)
    assert np.isnan(res["e2"][0]) and np.isnan(res["step2"][0])
    np.testing.assert_allclose(res["e2"][1:], e2, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["step2"][1:], step2, rtol=1e-10, atol=1e-12)


def _lsq_pair(n, d=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    Z = X + 0.3 * rng.standard_normal((n, d))
    return least_squares_pair(X, y, Z, y + 0.1 * rng.standard_normal(n))


def _exact_pair(family):
    """(pair, x0, T) for the two exact routes: a quadratic pair, a least-squares pair."""
    if family == "quadratic":
        return (random_quadratic_pair(4, 0.4, cond=4.0, direction="spread", bias=1.0, seed=2),
                np.ones(4), 20)
    return _lsq_pair(6, 3, seed=1), np.array([1.0, -0.5, 2.0]), 15


@pytest.mark.parametrize("family", ["quadratic", "least_squares"])
@pytest.mark.parametrize("variant", ["V1", "V2"])
@pytest.mark.parametrize("method", ["mom", "mvr"])
@pytest.mark.parametrize("share_first", [False, True])
def test_exact_means_equal_deterministic_kernel(family, variant, method, share_first):
    pair, x0, T = _exact_pair(family)
    res = ex.exact_moments(pair, x0, 0.1, 3, T, 0.3, method, variant, None, share_first)
    run = ax.aux_mom if method == "mom" else ax.aux_mvr
    tr = run(pair, x0, 0.1, 3, T, 0.3, variant, share_first=share_first)
    np.testing.assert_allclose(res["mean_x"], tr.x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res["grad2"], tr.stats["grad_norm2"], rtol=1e-10, atol=1e-12)
    _assert_e2_step2(pair, res, tr, variant)
    if family == "least_squares":  # exact gradients: the anchor target has no variance
        np.testing.assert_allclose(res["target_var"][1:], 0.0, atol=1e-12)


@pytest.mark.parametrize("variant", ["V1", "V2"])
@pytest.mark.parametrize("method", ["mom", "mvr"])
@pytest.mark.parametrize("batch, shared, K, share_first",
                         [(2, True, 1, True), (1, False, 1, False)])
def test_least_squares_minibatch_moments_equal_enumeration(variant, method, batch, shared, K,
                                                          share_first):
    """Every sequence of row draws (2 rows, T = 2), weighted equally: the exact route equals the
    brute-force mean of the kernel's runs."""
    n, T, a, eta = 2, 2, 0.3, 0.1
    pair = _lsq_pair(n, seed=0)
    x0 = np.array([1.0, -0.5])
    nm = NoiseModel.minibatch(batch, shared=shared)
    res = ex.exact_moments(pair, x0, eta, K, T, a, method, variant, nm, share_first)
    tn = ex.target_noise(pair, nm, variant)
    batches = list(itertools.product(range(n), repeat=batch))
    n_slots = T * (1 + K) + (0 if shared else T)
    run = ax.aux_mom if method == "mom" else ax.aux_mvr
    keys = ("mean_x", "grad2", "e2", "step2", "target_var")
    acc, count = {k: 0.0 for k in keys}, 0
    empty = np.zeros((T, 0))
    for combo in itertools.product(batches, repeat=n_slots):
        rf = np.array(combo[:T])
        rh = rf if shared else np.array(combo[T:2 * T])
        rhi = np.array(combo[(1 if shared else 2) * T:]).reshape(T, K, batch)
        draws = Draws(empty, empty, np.zeros((T, K, 0)), rf, rh, rhi)
        tr = run(pair, x0, eta, K, T, a, variant, nm, share_first=share_first, draws=draws)
        target = np.array([pair.f.grad(x) - (pair.h.grad(x) if variant == "V1" else 0.0)
                           for x in tr.x[:-1]])
        acc["mean_x"] = acc["mean_x"] + tr.x
        acc["grad2"] = acc["grad2"] + tr.stats["grad_norm2"]
        acc["e2"] = acc["e2"] + np.sum((tr.stats["m"] - target) ** 2, axis=1)
        acc["step2"] = acc["step2"] + np.sum(np.diff(tr.x, axis=0) ** 2, axis=1)
        acc["target_var"] = acc["target_var"] + tn.variance(tr.x[:-1])
        count += 1
    for k in keys:
        want = res[k] if k in ("mean_x", "grad2") else res[k][1:]
        np.testing.assert_allclose(acc[k] / count, want, rtol=1e-10, atol=1e-12, err_msg=k)


@pytest.mark.parametrize("shared", [True, False])
def test_target_noise_equals_enumeration(shared):
    pair = _lsq_pair(3, seed=2)
    batch = 2
    tn = ex.target_noise(pair, NoiseModel.minibatch(batch, shared=shared))
    rows = list(itertools.product(range(3), repeat=batch))
    Xf, Xh = pair.f.X, pair.h.X

    def t_map(rf, rh):  # g_f(w; rf) - g_h(w; rh) = M w - v
        M = Xf[rf].T @ Xf[rf] / batch - Xh[rh].T @ Xh[rh] / batch
        v = Xf[rf].T @ pair.f.y[rf] / batch - Xh[rh].T @ pair.h.y[rh] / batch
        return M, v
    maps = [t_map(list(r), list(r)) for r in rows] if shared else \
        [t_map(list(r), list(q)) for r in rows for q in rows]
    w = np.array([0.7, -1.2])
    vals = np.array([M @ w - v for M, v in maps])
    var = np.mean(np.sum((vals - vals.mean(axis=0)) ** 2, axis=1))
    np.testing.assert_allclose(tn.variance(w[None])[0], var, rtol=1e-10)
    EMM = np.mean([M.T @ M for M, _ in maps], axis=0)
    np.testing.assert_allclose(tn.delta_ms2, np.linalg.eigvalsh(EMM)[-1], rtol=1e-10)


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
    lsq = _lsq_pair(4)
    with pytest.raises(ValueError, match="noise"):
        ex.exact_moments(lsq, np.ones(2), 0.1, 2, 3, 0.5, noise=NoiseModel.additive(1.0, 1.0))
    uneven = least_squares_pair(np.ones((3, 2)), np.ones(3), np.ones((4, 2)), np.ones(4))
    with pytest.raises(ValueError, match="shared"):
        ex.exact_moments(uneven, np.ones(2), 0.1, 2, 3, 0.5,
                         noise=NoiseModel.minibatch(2, shared=True))
    with pytest.raises(ValueError, match="pair"):
        ex.target_noise(pair, NoiseModel.minibatch(2))
    with pytest.raises(ValueError, match="variant"):
        ex.exact_moments(lsq, np.ones(2), 0.1, 2, 3, 0.5, variant="V3")
