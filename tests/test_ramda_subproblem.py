"""RAMDA subproblem solver and nuclear norm: closed forms against brute force, validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from sketchopt.methods import ramda_subproblem as SP
from sketchopt.nuclear import NuclearNorm
from sketchopt.penalties import L1, GroupL1


def _instance(seed, d=12, gs=3, lam=0.4):
    rng = np.random.default_rng(seed)
    pen = GroupL1(lam, gs, d=d, weights="sqrt")
    return (pen, rng.standard_normal(d), 2 * rng.standard_normal(d),
            rng.uniform(0.5, 4.0, d), rng.uniform(0.3, 2.0))


@settings(max_examples=15)
@given(st.integers(0, 10_000))
def test_exact_solution_is_stationary_and_matches_long_pg(seed):
    pen, W0, V, P, alpha = _instance(seed)
    ex = SP.exact_solve(W0, V, P, alpha, pen)
    assert SP.q_stationarity(ex, W0, V, P, alpha, pen) <= 1e-10 * (1 + np.abs(V).max())
    pg = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="p7", eps=1e-13, max_iters=20000)
    np.testing.assert_allclose(pg.x, ex, rtol=1e-10, atol=1e-12)
    assert np.array_equal(pen.groups.norms(pg.x) > 0, pen.groups.norms(ex) > 0)


@settings(max_examples=15)
@given(st.integers(0, 10_000))
def test_screening_is_the_zero_condition(seed):
    pen, W0, V, P, alpha = _instance(seed)
    zero = pen.groups.norms(SP.exact_solve(W0, V, P, alpha, pen)) == 0
    assert np.array_equal(SP.screen(W0, V, P, alpha, pen, "sqrt"), zero)
    public = SP.screen(W0, V, P, alpha, pen, "public")
    assert not np.any(public & ~zero)          # safe: never screens a nonzero group


def test_exact_solution_against_scipy_brute_force():
    pen, W0, V, P, alpha = _instance(3, d=6, gs=2, lam=0.2)
    ex = SP.exact_solve(W0, V, P, alpha, pen)

    def q(w):
        return SP.q_objective(w, W0, V, P, alpha, pen)
    best = minimize(q, ex + 0.1, method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 40000})
    assert q(ex) <= best.fun + 1e-12


def test_one_step_exact_when_P_is_scalar_and_l1_per_coordinate():
    rng = np.random.default_rng(1)
    W0, V = rng.standard_normal(8), rng.standard_normal(8)
    P = np.full(8, 2.5)
    res = SP.pg_solve(rng.standard_normal(8), W0, V, P, 0.7, L1(0.3), rule="fixed", max_iters=1)
    np.testing.assert_allclose(res.x, L1(0.3).prox(W0 - V / 2.5, 0.7 / 2.5), atol=1e-14)
    # L1 with per-coordinate steps: one step is exact for any diagonal P
    P = rng.uniform(0.5, 3, 8)
    res = SP.pg_solve(W0, W0, V, P, 0.7, L1(0.3), rule="fixed", max_iters=1)
    np.testing.assert_allclose(res.x, SP.exact_solve(W0, V, P, 0.7, L1(0.3)), atol=1e-14)


def test_code_rule_iteration_window():
    pen, W0, V, P, alpha = _instance(5)
    res = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="code", rtol=1.0, max_iters=100)
    assert res.n_iter == 2                       # the code tests from the 2nd iteration on
    res = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="code", rtol=0.0, max_iters=7)
    assert res.n_iter == 7
    assert np.all(np.diff(res.q_hist) <= 1e-12)  # PG with step <= 1/L never increases Q


def test_step_scale_past_two_diverges():
    pen, W0, V, P, alpha = _instance(6)
    ok = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="fixed", max_iters=60, step_scale=1.9)
    bad = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="fixed", max_iters=60, step_scale=2.2)
    ex = SP.exact_solve(W0, V, P, alpha, pen)
    assert np.linalg.norm(ok.x - ex) < 1e-6 * np.linalg.norm(ex)   # step < 2/L converges
    assert np.linalg.norm(bad.x - ex) > 1e-2 * np.linalg.norm(ex)  # step > 2/L does not


def test_nuclear_prox_and_subdifferential():
    rng = np.random.default_rng(2)
    pen = NuclearNorm(0.5, (4, 3))
    z = rng.standard_normal(12)
    w = pen.prox(z, 1.3)
    # optimality of SVT: 0 in (w - z) + 1.3 * lam * d||w||_*
    assert NuclearNorm(0.5 * 1.3, (4, 3)).subdiff_distance(w, w - z) <= 1e-12
    g = rng.standard_normal(12)
    sv = np.linalg.svd(g.reshape(4, 3), compute_uv=False)
    assert np.isclose(pen.subdiff_distance(np.zeros(12), g),
                      np.sqrt(np.sum(np.maximum(sv - 0.5, 0) ** 2)), rtol=1e-12)
    W = rng.standard_normal((4, 3))                # full column rank: d||W|| = {U V'}
    U, _, Vt = np.linalg.svd(W, full_matrices=False)
    assert np.isclose(pen.subdiff_distance(W.ravel(), g),
                      np.linalg.norm(g.reshape(4, 3) + 0.5 * U @ Vt), rtol=1e-10)
    assert pen.rank(w) == np.sum(np.linalg.svd(w.reshape(4, 3), compute_uv=False) > 1e-12 *
                                 np.linalg.norm(w.reshape(4, 3), 2))
    assert np.isclose(pen.value(W), 0.5 * np.linalg.svd(W, compute_uv=False).sum())


@pytest.mark.parametrize("kwargs, name", [
    ({"P": -np.ones(4)}, "P"), ({"V": np.ones(3)}, "V"), ({"alpha": -1.0}, "alpha"),
    ({"rule": "bogus"}, "rule"), ({"step": "bogus"}, "step"), ({"max_iters": 0}, "max_iters"),
    ({"step_scale": -1.0}, "step_scale"),
    ({"Z0": np.ones(5)}, "Z0")])
def test_pg_validation(kwargs, name):
    args = dict(Z0=np.zeros(4), W0=np.zeros(4), V=np.ones(4), P=np.ones(4), alpha=1.0,
                penalty=GroupL1(0.1, 2, d=4))
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        SP.pg_solve(**args)


def test_nuclear_validation():
    with pytest.raises(ValueError, match="lam"):
        NuclearNorm(-1.0, (2, 2))
    with pytest.raises(ValueError, match="shape"):
        NuclearNorm(1.0, (2, 2, 2))
    with pytest.raises(ValueError, match="z"):
        NuclearNorm(1.0, (2, 2)).prox(np.ones(5))
    with pytest.raises(ValueError, match="penalty"):
        SP.penalty_arrays(object(), 3)
