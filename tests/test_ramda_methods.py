"""RAMDA run kernel vs its NumPy twin on the same minibatches, schedule facts, validation."""

import numpy as np
import pytest

from sketchopt.methods import ramda as R
from sketchopt.penalties import GroupL1


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((300, 20))
    w = np.zeros(20)
    w[:8] = rng.choice([-1.0, 1.0], 8)
    y = np.where(rng.random(300) < 1 / (1 + np.exp(-X @ w)), 1.0, -1.0)
    return X, y, GroupL1(0.02, 4, d=20, weights="sqrt")


@pytest.mark.parametrize("method, eta, c, eps", [
    ("ramda", 1e-2, 0.1, 1e-6), ("rmda", 0.1, 0.1, 0.0), ("proxsgd", 0.1, 0.1, 0.0),
    ("proxgen", 1e-2, 0.1, 1e-8)])
@pytest.mark.parametrize("seed", [0, 1])
def test_kernel_matches_twin(data, method, eta, c, eps, seed):
    X, y, pen = data
    T = 40
    b = R.draw_batches(X.shape[0], T, 8, seed)
    tr = R.run(method, X, y, pen, T, batches=b, eta=eta, c=c, eps=eps, stat_every=1)
    Ws, Whats, its = R.run_twin(method, X, y, pen, b, eta, c, eps)
    np.testing.assert_allclose(tr.x[1:], Ws, rtol=1e-10, atol=1e-12)
    supp = np.array([pen.groups.norms(w) > 0 for w in Whats])
    assert np.array_equal(tr.stats["supp_hat"], supp)
    assert np.array_equal(tr.stats["supp_W"], np.array([pen.groups.norms(w) > 0 for w in Ws]))
    assert np.array_equal(tr.stats["pg_iters"], its)


def test_schedule_restart_and_ramp(data):
    X, y, pen = data
    tr = R.run("ramda", X, y, pen, 400, batch=8, stages=[100, 100, 200], c=0.1)
    st = tr.stats
    assert np.array_equal(np.bincount(st["stage"]), [100, 100, 200])
    assert np.all(st["c"][:200] == 0.1)
    final = st["c"][200:]
    i = np.arange(1, 201)
    np.testing.assert_allclose(final, np.minimum(0.1 * np.sqrt(i + 1), 1.0))
    # after the ramp reaches 1, W_t = What_t exactly
    assert np.array_equal(st["supp_W"][-50:], st["supp_hat"][-50:])
    s = tr.meta["state"]
    assert s["t"] == 200 and np.isclose(s["eta"], 1e-4) and np.isclose(s["eps"], 1e-8)
    np.testing.assert_allclose(s["alpha"], 1e-4 * np.sqrt(np.arange(1, 201)).sum(), rtol=1e-13)
    assert tr.grad_evals["samples"] == 400 * 8


def test_ramda_psi0_is_madgrad_and_rmda_rda(data):
    X, y, pen = data
    b = R.draw_batches(X.shape[0], 30, 4, 3)
    from sketchopt.penalties import L1
    tr = R.run("ramda", X, y, L1(0.0), 30, batches=b, eta=1e-2, c=0.1, eps=1e-6, stat_every=1)
    np.testing.assert_allclose(tr.x, R.madgrad(X, y, b, lr=1e-2 - 1e-6, momentum=0.9),
                               rtol=1e-12, atol=1e-15)
    tr = R.run("rmda", X, y, pen, 30, batches=b, eta=0.2, c=1.0, rda_decay=True, stat_every=1)
    np.testing.assert_allclose(tr.x, R.rda(X, y, pen, b, 5.0), rtol=1e-12, atol=1e-15)


def test_least_squares_and_exact_solver_agree_with_pg(data):
    X, _, pen = data
    y = X @ np.r_[np.ones(4), np.zeros(16)]
    a = R.run("ramda", X, y, pen, 50, loss="least_squares", seed=1, solver="exact")
    b = R.run("ramda", X, y, pen, 50, loss="least_squares", seed=1, rule="p7", eps_C=1e-13,
              max_iters=5000)
    np.testing.assert_allclose(a.meta["W"], b.meta["W"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kwargs, name", [
    ({"method": "adam"}, "method"), ({"loss": "hinge"}, "loss"), ({"T": 0}, "T"),
    ({"eta": 0.0}, "eta"), ({"c": 1.5}, "c"), ({"eps": 0.0}, "eps"), ({"gamma": 2.0}, "gamma"),
    ({"solver": "newton"}, "solver"), ({"screening": "all"}, "screening"),
    ({"stages": [3, 3]}, "stages"), ({"W_init": np.ones(3)}, "W_init"),
    ({"batch": 0}, "batch"), ({"y": np.zeros(300)}, "y")])
def test_run_validation(data, kwargs, name):
    X, y, pen = data
    args = dict(method="ramda", X=X, y=y, penalty=pen, T=10)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        R.run(**args)


def test_growing_batches_match_twin(data):
    X, y, pen = data
    T = 30
    b = R.draw_batches(X.shape[0], T, np.arange(1, T + 1), 5)
    assert [r.size for r in b] == list(range(1, T + 1))
    for method, eta in (("ramda", 1e-2), ("proxgen", 1e-2)):
        tr = R.run(method, X, y, pen, T, batches=b, eta=eta, stat_every=1)
        Ws, _, _ = R.run_twin(method, X, y, pen, b, eta, 0.1, 1e-6 if method == "ramda" else 1e-8)
        np.testing.assert_allclose(tr.x[1:], Ws, rtol=1e-10, atol=1e-12)
        assert tr.grad_evals["samples"] == T * (T + 1) // 2


def test_per_step_alpha_and_w_gap(data):
    X, y, pen = data
    tr = R.run("ramda", X, y, pen, 300, batch=8, stages=[100, 200], c=0.1, eta=1e-2)
    s = 1e-2 * np.sqrt(np.arange(1, 101))
    np.testing.assert_allclose(tr.stats["alpha"][:100], np.cumsum(s), rtol=1e-14)
    np.testing.assert_allclose(tr.stats["alpha"][100:200], 0.1 * np.cumsum(s), rtol=1e-14)
    gap = tr.stats["w_gap"]
    assert np.all(gap[:150] > 0) and np.all(gap[100 + 98:] == 0)  # c_t = 1 from step 99 on
    # eta_t = eta/sqrt(t) for RAMDA too: s_t = eta, alpha_t = eta t
    tr = R.run("ramda", X, y, pen, 50, batch=8, eta=1e-2, rda_decay=True)
    np.testing.assert_allclose(tr.stats["alpha"], 1e-2 * np.arange(1, 51), rtol=1e-14)


@pytest.mark.parametrize("kwargs, name", [
    ({"step_scale": 0.0}, "step_scale"), ({"batches": [np.array([0, 1])] * 3}, "batches"),
    ({"batches": np.zeros((10, 2))}, "batches"), ({"batches": [np.array([], int)] * 10},
                                                  "batches")])
def test_run_validation_batches_and_step(data, kwargs, name):
    X, y, pen = data
    with pytest.raises(ValueError, match=name):
        R.run("ramda", X, y, pen, 10, **kwargs)
    if name == "batches":
        with pytest.raises(ValueError, match="batch"):
            R.draw_batches(300, 10, np.zeros(10, dtype=int), 0)


@pytest.mark.parametrize("batch", [8, "growing"])
def test_torch_version_matches_kernel(data, batch):
    """The benchmark's PyTorch RAMDA (benchmarks/_torch_ramda.py) gives the kernel's iterates."""
    pytest.importorskip("torch")
    from benchmarks import _torch_ramda as TR
    X, y, pen = data
    T = 20
    b = R.draw_batches(X.shape[0], T, 8 if batch == 8 else np.arange(1, T + 1), 4)
    tr = R.run("ramda", X, y, pen, T, batches=b, eta=1e-2, c=0.1, eps=1e-6, stat_every=1)
    Ws, Whats, its = TR.ramda(X, y, pen, b, eta=1e-2, c=0.1, eps=1e-6)
    np.testing.assert_allclose(Ws, tr.x[1:], rtol=1e-10, atol=1e-12)
    assert np.array_equal(its, tr.stats["pg_iters"])
    assert np.array_equal(np.array([pen.groups.norms(w) > 0 for w in Whats]),
                          tr.stats["supp_hat"])
