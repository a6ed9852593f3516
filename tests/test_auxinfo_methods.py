"""AuxMOM / AuxMVR kernels vs their NumPy twins, oracle counters, baselines, validation."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt.methods import auxinfo as ax
from sketchopt.methods.auxinfo_noise import Draws, NoiseModel
from sketchopt.problems.pairs import (least_squares_pair, logistic_pair, n_samples,
                                      random_quadratic_pair, toy_pair)

PAIRS = {
    "toy": lambda: toy_pair(1.0, 3.0),
    "quadratic": lambda: random_quadratic_pair(4, 0.3, cond=5.0, bias=1.0, seed=1),
    "flipped": lambda: logistic_pair("flipped", n=30, d=3, seed=0),
    "other": lambda: logistic_pair("other", n=20, m=25, d=3, seed=2),
    "least_squares": lambda: _least_squares(),
}


def _least_squares(n=15, d=3, seed=6):
    """Least-squares pair with the same rows (shared minibatches), as in AUX-16."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n)
    Z = X + 0.3 * rng.standard_normal((n, d))
    return least_squares_pair(X, y, Z, y + 0.1 * rng.standard_normal(n))
NOISES = {
    "exact": lambda pair: NoiseModel.exact(),
    "additive": lambda pair: NoiseModel.additive(0.3, 0.2, 0.6),
    "minibatch": lambda pair: NoiseModel.minibatch(
        4, shared=pair.f.n == pair.h.n) if n_samples(pair.f) else None,
}


# minibatch noise needs a finite sum, which the toy and quadratic pairs are not
PAIR_NOISE = [(p, q) for p in sorted(PAIRS) for q in sorted(NOISES)
              if not (p in ("toy", "quadratic") and q == "minibatch")]


@pytest.mark.parametrize("pair_name,noise_name", PAIR_NOISE)
@pytest.mark.parametrize("method", ["mom", "mvr"])
@pytest.mark.parametrize("variant", ["V1", "V2"])
def test_aux_kernel_equals_twin(pair_name, noise_name, method, variant):
    pair = PAIRS[pair_name]()
    noise = NOISES[noise_name](pair)
    assert noise is not None
    T, K = 12, 3
    for share_first in (False, True):
        draws = noise.draw(T, K, pair.d, n_samples(pair.f), n_samples(pair.h), seed=5)
        run = ax.aux_mom if method == "mom" else ax.aux_mvr
        x0 = np.full(pair.d, 0.5)
        tr = run(pair, x0, 0.05, K, T, 0.4, variant, noise, share_first=share_first,
                 record_inner=True, draws=draws)
        xs, ms, ys = ax.aux_twin(pair, x0, 0.05, K, 0.4, draws, method, variant,
                                 share_first=share_first)
        np.testing.assert_allclose(tr.x, xs, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(tr.stats["m"], ms, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(tr.stats["inner"], ys, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("storm", [False, True])
@pytest.mark.parametrize("pair_name", ["quadratic", "other"])
def test_first_order_kernel_equals_twin(storm, pair_name):
    pair = PAIRS[pair_name]()
    noise = NoiseModel.additive(0.3, 0.2) if pair_name == "quadratic" else NoiseModel.minibatch(5)
    nz, rows = noise.draw_single(20, pair.d, n_samples(pair.f), "f", seed=3)
    tr = ax.first_order(pair.f, np.ones(pair.d), 0.1, 20, 0.3, storm, noise, draws=(nz, rows))
    xs, ms = ax.first_order_twin(pair.f, np.ones(pair.d), 0.1, 0.3, nz, rows, storm)
    np.testing.assert_allclose(tr.x, xs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tr.stats["m"], ms, rtol=1e-10, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(K=st.integers(1, 6), T=st.integers(1, 8), share=st.booleans())
def test_oracle_counters(K, T, share):
    pair = toy_pair(1.0, 1.0)
    nm = NoiseModel.additive(0.1, 0.1, 0.5)
    mom = ax.aux_mom(pair, [1.0], 0.1, K, T, 0.5, "V1", nm, share_first=share)
    assert mom.grad_evals == {"f": T, "h": T * (1 + K) - T * share}
    for variant, extra_h in (("V1", 1), ("V2", 0)):
        mvr = ax.aux_mvr(pair, [1.0], 0.1, K, T, 0.5, variant, nm, share_first=share)
        assert mvr.grad_evals["f"] == 2 * T - 1
        assert mvr.grad_evals["h"] == T * (1 + K) + extra_h * (T - 1) - T * share


def test_local_steps_is_auxmom_with_a_one_and_exact_correction():
    pair = random_quadratic_pair(4, 0.5, bias=1.0, seed=4)
    tr = ax.local_steps(pair, np.ones(4), 0.1, 4, 5, record_inner=True)
    ys, x = tr.stats["inner"], tr.x
    for t in range(5):
        for k in range(4):
            direction = (ys[t, k] - ys[t, k + 1]) / 0.1
            expected = pair.h.grad(ys[t, k]) - pair.h.grad(x[t]) + pair.f.grad(x[t])
            np.testing.assert_allclose(direction, expected, rtol=1e-10, atol=1e-12)


def test_naive_and_fine_tune_on_toy():
    pair = toy_pair(1.0, 2.0)
    tr = ax.naive(pair, [1.0], 0.1, 300)
    assert abs(tr.x[-1, 0] - 1.0) < 1e-12  # argmin h = zeta / (1 + delta)
    ft = ax.fine_tune(pair, [1.0], 0.1, 300, 0.1, 10)
    assert ft.x.shape == (311, 1)
    np.testing.assert_allclose(ft.x[301:, 0], 0.9 ** np.arange(1, 11), rtol=1e-10)
    assert ft.grad_evals == {"f": 10, "h": 300}


def test_fine_tune_without_helper_steps_is_sgd_momentum():
    pair = random_quadratic_pair(3, 0.2, seed=0)
    nm = NoiseModel.additive(0.2, 0.2)
    ft = ax.fine_tune(pair, np.ones(3), 0.1, 0, 0.1, 15, a=0.5, noise=nm, seed=7)
    sgdm = ax.first_order(pair.f, np.ones(3), 0.1, 15, 0.5, noise=nm, seed=8)
    np.testing.assert_array_equal(ft.x, sgdm.x)


@pytest.mark.parametrize("kwargs, name", [
    ({"eta": 0.0}, "eta"), ({"K": 0}, "K"), ({"T": 0}, "T"), ({"a": 0.0}, "a"),
    ({"a": 1.5}, "a"), ({"variant": "V3"}, "variant"), ({"init": "ones"}, "init"),
    ({"x0": np.ones(3)}, "x0"), ({"noise": "gauss"}, "noise")])
def test_validation_names_argument(kwargs, name):
    args = dict(pair=toy_pair(1.0, 1.0), x0=np.ones(1), eta=0.1, K=2, T=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        ax.aux_mom(**args)


def _replace(draws, **fields):
    return Draws(**{**draws.__dict__, **fields})


@pytest.mark.parametrize("case", ["K", "T", "d", "nhi", "rows_range", "rows_on_quadratic",
                                  "rhi_lead", "not_draws"])
def test_wrongly_shaped_draws_are_refused(case):
    """The kernels index draws without bounds checks: any mismatch with (T, K, d, batch) must
    raise, naming ``draws``."""
    quad, lsq = PAIRS["quadratic"](), PAIRS["least_squares"]()
    nm, mb = NoiseModel.additive(0.3, 0.2, 0.5), NoiseModel.minibatch(3, shared=True)
    T, K = 5, 3
    pair, draws = quad, nm.draw(T, K, quad.d, seed=0)
    if case == "K":
        draws = nm.draw(T, K - 1, quad.d, seed=0)
    elif case == "T":
        draws = nm.draw(T + 1, K, quad.d, seed=0)
    elif case == "d":
        draws = nm.draw(T, K, quad.d + 1, seed=0)
    elif case == "nhi":
        draws = _replace(draws, nhi=draws.nhi[:, :, :2])
    elif case == "rows_on_quadratic":
        draws = _replace(draws, rf=np.zeros((T, 2), dtype=np.int64))
    else:
        pair = lsq
        draws = mb.draw(T, K, lsq.d, lsq.f.n, lsq.h.n, seed=0)
        if case == "rows_range":
            draws = _replace(draws, rhi=draws.rhi + lsq.h.n)
        elif case == "rhi_lead":
            draws = _replace(draws, rhi=draws.rhi[:, :1])
        elif case == "not_draws":
            draws = (draws.nf, draws.rf)
    for run in (ax.aux_mom, ax.aux_mvr):
        with pytest.raises(ValueError, match="draws"):
            run(pair, np.zeros(pair.d), 0.05, K, T, 0.5, "V1", draws=draws)


def test_first_order_draws_must_cover_T():
    quad, lsq = PAIRS["quadratic"](), PAIRS["least_squares"]()
    nz, rows = NoiseModel.additive(0.3, 0.2).draw_single(4, quad.d, seed=0)
    with pytest.raises(ValueError, match="draws"):
        ax.first_order(quad.f, np.ones(quad.d), 0.1, 10, draws=(nz, rows))
    with pytest.raises(ValueError, match="draws"):
        ax.first_order(quad.f, np.ones(quad.d), 0.1, 4, draws=(nz[:, :2], rows))
    nz, rows = NoiseModel.minibatch(2).draw_single(4, lsq.d, lsq.f.n, seed=0)
    with pytest.raises(ValueError, match="draws"):
        ax.first_order(lsq.f, np.ones(lsq.d), 0.1, 4, draws=(nz, rows - 1))
    tr = ax.first_order(lsq.f, np.ones(lsq.d), 0.1, 4, draws=(nz, rows))
    assert tr.x.shape == (5, lsq.d) and tr.grad_evals == {"f": 4}


def test_noise_model_validation():
    with pytest.raises(ValueError, match="rho"):
        NoiseModel.additive(1.0, 1.0, 1.5)
    with pytest.raises(ValueError, match="s_f"):
        NoiseModel.additive(-1.0, 1.0)
    with pytest.raises(ValueError, match="batch_h"):
        NoiseModel.minibatch(3, 4, shared=True)
    with pytest.raises(ValueError, match="shared"):
        NoiseModel.minibatch(3, shared=True).draw(2, 2, 3, n_f=10, n_h=12)
    with pytest.raises(ValueError, match="pair"):
        ax.aux_mvr("pair", np.ones(1), 0.1, 1, 1)
