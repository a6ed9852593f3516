"""MAST methods: Numba kernels vs NumPy twins on the same draws, exact trajectories vs brute
force, and input validation."""

import itertools

import numpy as np
import pytest

from sketchopt import stats
from sketchopt.methods import mast
from sketchopt.methods.mast_exact import (averaged_fgap_exact, dsgd_exact, dsgd_mc,
                                          gd_fd_exact, lsvrdsg_recursion)
from sketchopt.oracles import mast_quadratic
from sketchopt.sketches import Bernoulli, PermK, RandK, as_index_sets

RT = 1e-10


def _quad(d, seed=0):
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((d, d))
    return Q @ Q.T / d + 0.2 * np.eye(d), rng.standard_normal(d), rng.standard_normal(d)


@pytest.mark.parametrize("sk", [RandK(9, 3), Bernoulli(np.linspace(0.2, 0.9, 9))],
                         ids=["randk", "bernoulli"])
def test_dsgd_kernel_matches_twin(sk):
    A, b, v = _quad(9)
    x0, T, step = np.ones(9), 40, 0.05
    xs = mast.dsgd_quadratic(A, b, v, sk, x0, step, T, seed=3).x
    idx, cnt = as_index_sets(sk, T, 3)
    ref = mast.sketched_quadratic_twin(A[None], b[None], v, x0, step,
                                       sk.values_from_indices(idx, cnt)[:, None, :])
    np.testing.assert_allclose(xs, ref, rtol=RT, atol=1e-13)


@pytest.mark.parametrize("batch", [None, 4])
def test_logistic_kernel_matches_twin(batch):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 8))
    y = np.sign(rng.standard_normal(30))
    v, x0, sk, T = rng.standard_normal(8), np.zeros(8), RandK(8, 3), 30
    xs = mast.dsgd_logistic(X, y, 0.1, v, sk, x0, 0.2, T, seed=5, batch=batch).x
    idx, cnt = as_index_sets(sk, T, 5)
    rows = None if batch is None else mast.data_rows(30, batch, T, 5)
    ref = mast.sketched_logistic_twin(X, y, 0.1, v, x0, 0.2, sk.values_from_indices(idx, cnt),
                                      rows)
    np.testing.assert_allclose(xs, ref, rtol=RT, atol=1e-13)


@pytest.mark.parametrize("batch", [3, 10])
def test_lsvrdsg_kernel_matches_twin(batch):
    A, b, v = _quad(5, 2)
    sk = RandK(5, 2)
    x0, T, step, p = np.zeros(5), 50, 0.02, 0.3
    xs = mast.lsvrdsg_quadratic(A, b, v, sk, x0, step, T, batch, p, seed=7).x
    vals, _ = sk.enumerate()
    batches, draws, refresh = mast.lsvrdsg_draws(len(vals), batch, p, T, 7)
    ref = mast.lsvrdsg_quadratic_twin(A, b, v, x0, step, vals, batches, draws, refresh)
    np.testing.assert_allclose(xs, ref, rtol=RT, atol=1e-13)


@pytest.mark.parametrize("sk", [PermK(6, 3), RandK(6, 2)], ids=["permk", "independent"])
def test_distributed_kernel_matches_twin(sk):
    rng = np.random.default_rng(3)
    As = np.array([_quad(6, s)[0] for s in range(3)])
    bs, v, x0 = rng.standard_normal((3, 6)), rng.standard_normal(6), np.zeros(6)
    xs = mast.distributed_dsgd_quadratic(As, bs, v, sk, x0, 0.05, 30, seed=2).x
    idx, scales = mast.distributed_draws(sk, 3, 30, 2)
    vals = np.zeros((30, 3, 6))
    for t, m in itertools.product(range(30), range(3)):
        vals[t, m, idx[t, m]] = scales[m, idx[t, m]]
    ref = mast.sketched_quadratic_twin(As, bs, v, x0, 0.05, vals)
    np.testing.assert_allclose(xs, ref, rtol=RT, atol=1e-13)


def test_gd_on_fd_matches_exact():
    A, b, v = _quad(5)
    mq = mast_quadratic(A, b, v, RandK(5, 2))
    tr = mast.gd_fd_quadratic(mq, np.zeros(5), 0.1, 20)
    e = tr.x - mq.x_star_D
    exact = gd_fd_exact(mq, np.zeros(5), 0.1, 20)["dist2"]
    np.testing.assert_allclose(np.sum(e * e, axis=1), exact, rtol=RT)


def _all_paths(mq, x0, step, T):
    """Every sequence of T sketches with its probability: the brute-force expectation."""
    vals, w = mq.sketch.enumerate()
    for path in itertools.product(range(len(w)), repeat=T):
        x, xs = x0.copy(), []
        for j in path:
            xs.append(x.copy())
            s = vals[j]
            x = x - step * s * (mq.A @ (mq.v + s * (x - mq.v)) - mq.b)
        yield np.prod(w[list(path)]), np.array(xs + [x])


def test_exact_trajectory_and_average_match_path_enumeration():
    A, b, v = _quad(3, 4)
    mq = mast_quadratic(A, b, v, RandK(3, 1))
    x0, step, T = np.array([1.0, -2.0, 0.5]), 0.1, 4
    dist2, fbar = np.zeros(T + 1), 0.0
    for p, xs in _all_paths(mq, x0, step, T):
        dist2 += p * np.sum((xs - mq.x_star_D) ** 2, axis=1)
        fbar += p * (mq.f_D(xs[:T].mean(axis=0)) - mq.f_D_inf)
    np.testing.assert_allclose(dsgd_exact(mq, x0, step, T)["dist2"], dist2, rtol=RT)
    assert abs(averaged_fgap_exact(mq, x0, step, T) - fbar) <= RT * fbar


def test_exact_trajectory_matches_monte_carlo():
    A, b, v = _quad(6, 1)
    mq = mast_quadratic(A, b, v, Bernoulli(np.linspace(0.3, 0.9, 6)))
    step, T, x0 = 0.5 / (mq.L_f * mq.L_S_max), 30, np.zeros(6)
    ex = dsgd_exact(mq, x0, step, T)
    mc = dsgd_mc(mq, x0, step, T, runs=1000, seed=9)
    ts = [1, 10, 30]
    for key in ("dist2", "fgap", "grad2"):
        res = stats.mc_equal(mc[key][:, ts], ex[key][ts], m=9)
        assert res.passed, (key, res.summary())


def test_lsvrdsg_full_batch_recursion_matches_monte_carlo():
    A, b, v = _quad(4, 6)
    sk = RandK(4, 2)
    mq = mast_quadratic(A, b, v, sk)
    step, p, T = 0.3 / (mq.L_f * mq.L_S_max), 0.25, 20
    vals, w = sk.enumerate()
    rec, _ = lsvrdsg_recursion(A, b, v, vals, w, step, p, mq.x_star_D)
    e0 = -mq.x_star_D
    P = rec.moments(np.concatenate([e0, e0]), T)[1][-1]
    runs = np.array([np.sum((mast.lsvrdsg_quadratic(A, b, v, sk, np.zeros(4), step, T,
                                                    len(vals), p, seed=s).x[-1]
                             - mq.x_star_D) ** 2) for s in stats.derive_seeds(1, 800)])
    res = stats.mc_equal(runs[:, None], [np.trace(P[:4, :4])])
    assert res.passed, res.summary()


@pytest.mark.parametrize("call,arg", [
    (lambda A, b, v: mast.dsgd_quadratic(A, b, v, RandK(3, 1), v, 0.0, 5), "step"),
    (lambda A, b, v: mast.dsgd_quadratic(A, b, v, RandK(4, 1), v, 0.1, 5), "sketch"),
    (lambda A, b, v: mast.dsgd_quadratic(A, b, v, PermK(3, 3), v, 0.1, 5), "sketch"),
    (lambda A, b, v: mast.dsgd_quadratic(A, b, v, RandK(3, 1), v[:2], 0.1, 5), "x0"),
    (lambda A, b, v: mast.dsgd_quadratic(A, b, v, RandK(3, 1), v, 0.1, -1), "T"),
    (lambda A, b, v: mast.lsvrdsg_quadratic(A, b, v, RandK(3, 1), v, 0.1, 5, 4, 0.5), "batch"),
    (lambda A, b, v: mast.lsvrdsg_quadratic(A, b, v, RandK(3, 1), v, 0.1, 5, 2, 0.0), "p"),
    (lambda A, b, v: mast.dsgd_logistic(np.eye(3), np.array([1., 2, 1]), 0.1, v, RandK(3, 1),
                                        v, 0.1, 5), "y"),
    (lambda A, b, v: mast.dsgd_logistic(np.eye(3), np.ones(3), 0.1, v, RandK(3, 1), v, 0.1, 5,
                                        batch=0), "batch"),
    (lambda A, b, v: mast.distributed_dsgd_quadratic(np.stack([A, A]), np.ones((2, 3)), v,
                                                     PermK(3, 3), v, 0.1, 5), "M"),
    (lambda A, b, v: mast.distributed_dsgd_quadratic(np.stack([A, A]), np.ones((3, 3)), v,
                                                     RandK(3, 1), v, 0.1, 5), "bs"),
])
def test_validation(call, arg):
    with pytest.raises(ValueError, match=arg):
        call(np.eye(3), np.ones(3), np.zeros(3))
