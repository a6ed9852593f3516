"""spred kernels vs NumPy twins, input validation, landscape closed forms vs brute force."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt.methods import spred as S
from sketchopt.methods import spred_landscape as LS


def _data(seed, n=30, d=8, k=1, logistic=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.normal(size=(n, k))
    if logistic:
        y = np.where(y[:, :1] > 0, 1.0, -1.0)
    return X, y


CASES = [("gd", 0, None, False, 1), ("sgd", 0, 7, False, 1), ("momentum", 1, None, False, 1),
         ("adam", 2, 5, False, 1), ("gd", 0, None, True, 1), ("adam", 2, None, True, 1),
         ("gd", 0, None, False, 3), ("momentum", 1, 9, False, 2)]


@pytest.mark.parametrize("opt,code,batch,logistic,k", CASES)
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_kernel_matches_twin(opt, code, batch, logistic, k, seed):
    X, Y = _data(seed, k=k, logistic=logistic)
    loss = "logistic" if logistic else "least_squares"
    u0, W0 = S.initial_factors(X.shape[1], Y.shape[1], seed=seed)
    tr = S.spred(X, Y if k > 1 else Y[:, 0], 0.05, loss=loss, optimizer=opt, step=0.02, T=40,
                 batch_size=batch, u0=u0, W0=W0, seed=seed, record_every=1, keep_x=True)
    twin = S.spred_twin(X, Y, int(logistic), u0, W0, 0.05, 0.05, 1.0, np.full(40, 0.02), code,
                        batches=tr.meta["batches"])
    xs = tr.x if k > 1 else tr.x[:, :, None]
    assert xs.shape == twin.shape
    np.testing.assert_allclose(xs, twin, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("opt,code,batch", [("gd", 0, None), ("sgd", 0, 6), ("momentum", 1, None),
                                            ("adam", 2, 4)])
def test_kernel_matches_twin_loss_scale_and_decay(opt, code, batch):
    # loss_scale != 1 and the decaying step step / (1 + t / decay_steps) reach the kernel
    X, Y = _data(11)
    u0, W0 = S.initial_factors(8, 1, seed=11)
    tr = S.spred(X, Y[:, 0], 0.05, optimizer=opt, step=0.02, T=40, batch_size=batch, u0=u0,
                 W0=W0, seed=11, record_every=1, keep_x=True, loss_scale=2.0, decay_steps=7.0)
    steps = 0.02 / (1.0 + np.arange(40) / 7.0)
    twin = S.spred_twin(X, Y, 0, u0, W0, 0.05, 0.05, 2.0, steps, code,
                        batches=tr.meta["batches"])
    np.testing.assert_allclose(tr.x, twin[:, :, 0], rtol=1e-10, atol=1e-13)


def test_gtol_stop_matches_twin():
    # the stop fires at the first checked step whose full-batch ||grad L_rs||_inf <= gtol
    X, Y = _data(12)
    u0, W0 = S.initial_factors(8, 1, seed=12)
    free = S.spred(X, Y[:, 0], 0.05, step=0.02, T=40, u0=u0, W0=W0, record_every=1)
    gtol = free.stats["grad_inf"][23]
    hits = [t for t in range(0, 40, 5) if free.stats["grad_inf"][t] <= gtol]
    stop = S.spred(X, Y[:, 0], 0.05, step=0.02, T=40, u0=u0, W0=W0, gtol=gtol, check_every=5)
    assert stop.meta["n_steps"] == hits[0] < 40
    assert stop.stats["grad_inf"][-1] <= gtol
    twin = S.spred_twin(X, Y, 0, u0, W0, 0.05, 0.05, 1.0, np.full(hits[0], 0.02), 0)
    np.testing.assert_allclose(stop.meta["w"], twin[-1, :, 0], rtol=1e-10, atol=1e-13)


def test_adamw_twin_and_refusal():
    X, Y = _data(1)
    u0, W0 = S.initial_factors(8, 1, seed=1)
    with pytest.raises(ValueError, match="adamw"):
        S.spred(X, Y[:, 0], 0.1, optimizer="adamw")
    tr = S.spred(X, Y[:, 0], 0.1, optimizer="adam", step=0.01, T=20, u0=u0, W0=W0,
                 record_every=1, keep_x=True, _variant="decoupled_weight_decay")
    twin = S.spred_twin(X, Y, 0, u0, W0, 0.1, 0.1, 1.0, np.full(20, 0.01), S._ADAMW)
    np.testing.assert_allclose(tr.x, twin[:, :, 0], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("kwargs,name", [
    ({"kappa": 0.0}, "kappa"), ({"kappa": -1.0}, "kappa"), ({"step": -0.1}, "step"),
    ({"T": -1}, "T"), ({"optimizer": "lbfgs"}, "optimizer"), ({"loss": "hinge"}, "loss"),
    ({"init": "zeros"}, "init"), ({"batch_size": 0}, "batch_size"),
    ({"u0": np.ones(3), "W0": np.ones(3)}, "u0"), ({"momentum": 1.0, "optimizer": "momentum"},
                                                   "momentum"),
    ({"loss": "logistic"}, "y"), ({"decay_steps": 0.0}, "decay_steps"),
    ({"loss_scale": 0.0}, "loss_scale"), ({"record_every": 0}, "record_every"),
    ({"optimizer": "gd", "batch_size": 5}, "batch_size")])
def test_validation(kwargs, name):
    X, Y = _data(0)
    kw = dict(kappa=0.1, T=2)
    kw.update(kwargs)
    kappa = kw.pop("kappa")
    with pytest.raises(ValueError, match=name):
        S.spred(X, Y[:, 0], kappa, **kw)


def test_validation_shapes():
    X, Y = _data(0)
    with pytest.raises(ValueError, match="y"):
        S.spred(X, Y[:5, 0], 0.1)
    with pytest.raises(ValueError, match="X"):
        S.spred(X[0], Y[:, 0], 0.1)
    with pytest.raises(ValueError, match="threshold"):
        S.read_off(np.ones(3), np.ones(3), threshold=-1.0)


def test_read_off_counts_exact_zeros_separately():
    u = np.array([1.0, 1e-5, 0.0, 2.0])
    v = np.array([1.0, 1e-5, 3.0, -1.0])
    w, supp, zeros, tau = S.read_off(u, v)
    assert tau == pytest.approx(2e-8)
    assert list(supp) == [0, 3] and zeros == 1 and w[1] == pytest.approx(1e-10)


def test_balanced_init_is_exactly_balanced():
    u, W = S.initial_factors(50, 3, "balanced", seed=2)
    np.testing.assert_allclose(u ** 2, np.sum(W ** 2, axis=1), rtol=1e-14)
    u, W = S.initial_factors(50, 1, "imbalanced", imbalance=1e-3, seed=2)
    w0 = u * W[:, 0] / ((1 + 1e-3) * (1 - 1e-3))
    np.testing.assert_allclose(u ** 2 - W[:, 0] ** 2, 4e-3 * np.abs(w0), rtol=1e-9)


def test_local_smoothness_bounds_hessian():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 6))
    y = rng.normal(size=20)
    u, v = rng.normal(size=6), rng.normal(size=6)
    H = X.T @ X / 20
    g = X.T @ (X @ (u * v) - y) / 20
    lam = np.linalg.eigvalsh(LS.rs_hessian(H, g, u, v, 0.3)).max()
    assert lam <= S.local_smoothness(u, v, g, 0.3, S.loss_curvature(X)) * (1 + 1e-12)


def _num_hessian(grad, z, h=1e-6):
    cols = [(grad(z + h * e) - grad(z - h * e)) / (2 * h) for e in np.eye(z.size)]
    return np.array(cols).T


def test_rs_hessian_matches_finite_differences():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(15, 4))
    y = rng.normal(size=15)
    H = X.T @ X / 15
    kappa = 0.2

    def grad(z):
        u, v = z[:4], z[4:]
        g = X.T @ (X @ (u * v) - y) / 15
        return np.concatenate([g * v + kappa * u, g * u + kappa * v])
    z = rng.normal(size=8)
    g = X.T @ (X @ (z[:4] * z[4:]) - y) / 15
    np.testing.assert_allclose(LS.rs_hessian(H, g, z[:4], z[4:], kappa), _num_hessian(grad, z),
                               atol=1e-8)


@pytest.mark.parametrize("a", [-2.0, -0.3, 0.5, 1.0, 2.5])
def test_one_d_closed_forms_brute_force(a):
    kappa = 1.0
    grid = np.linspace(-4, 4, 400_001)
    f1 = (grid - a) ** 2 / 2 + kappa * np.abs(grid)
    assert abs(grid[np.argmin(f1)] - LS.one_d_solution(a, kappa)) <= 2e-5
    assert abs(f1.min() - LS.one_d_min_value(a, kappa)) <= 1e-9
    uu, vv = np.meshgrid(np.linspace(-3, 3, 1201), np.linspace(-3, 3, 1201))
    f2 = (uu * vv - a) ** 2 / 2 + kappa / 2 * (uu ** 2 + vv ** 2)
    assert f2.min() >= LS.one_d_min_value(a, kappa) - 1e-12
    assert f2.min() <= LS.one_d_min_value(a, kappa) + 1e-4
    for u, v in LS.one_d_stationary_points(a, kappa):
        grad = [(u * v - a) * v + kappa * u, (u * v - a) * u + kappa * v]
        assert np.abs(grad).max() <= 1e-14
    origin, nz = LS.one_d_hessian_eigs(a, kappa)
    np.testing.assert_allclose(np.linalg.eigvalsh(LS.one_d_hessian(0, 0, a, kappa)), origin)
    if nz is not None:
        u, v = LS.one_d_stationary_points(a, kappa)[1]
        np.testing.assert_allclose(np.linalg.eigvalsh(LS.one_d_hessian(u, v, a, kappa)), nz,
                                   atol=1e-14)


def test_balanced_flow_matches_fine_euler():
    for a, kappa in ((2.0, 1.0), (1.0, 1.0), (0.5, 1.0)):
        w, dt = 0.3, 1e-5
        for _ in range(100_000):
            w += dt * 2 * w * (abs(a) - kappa - w)
        assert abs(w - LS.balanced_flow(0.3, a, kappa, 1.0)) <= 1e-4 * abs(w)


def test_depth_penalty_brute_force():
    w, kappa = -0.7, 0.4
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.2, 3, (2, 200_000))
    vals = kappa / 2 * (a ** 2 + b ** 2 + (w / (a * b)) ** 2)
    assert vals.min() >= LS.depth_penalty(w, kappa, 3) - 1e-12
    assert vals.min() <= LS.depth_penalty(w, kappa, 3) * (1 + 1e-3)
