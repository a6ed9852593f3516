import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sketchopt import oracles
from sketchopt.problems import logistic_data, regression_data
from sketchopt.testing import (assert_certified, assert_group_l1_logistic_optimal,
                               assert_group_lasso_optimal, assert_l1_logistic_optimal,
                               assert_lasso_optimal)
from sketchopt.testing.strategies import groupings, lasso_instances


def _check_result(res, gap_fn):
    assert_certified(res)
    # the reported gap is the public formula at the returned point (clipped at 0), or its
    # extended-precision twin when the tolerance asked for one
    assert res.info["raw_gap"] == gap_fn(res.x) or res.info["extended"]
    assert res.gap == max(0.0, res.info["raw_gap"])
    np.testing.assert_array_equal(res.support, np.flatnonzero(np.atleast_2d(res.x.T).T.any(1)
                                                               if res.x.ndim > 1 else res.x))


@given(lasso_instances())
def test_lasso_is_certified_and_optimal(inst):
    X, y, lam = inst
    res = oracles.lasso(X, y, lam)
    _check_result(res, lambda w: oracles.lasso_gap(X, y, lam, w))
    assert_lasso_optimal(X, y, lam, res.x)
    if res.polished:
        assert res.kkt_violation <= 1e-12 and res.margin > 0


@settings(max_examples=15)
@given(lasso_instances(), st.data())
def test_group_lasso_is_certified_and_optimal(inst, data):
    X, y, lam = inst
    groups = data.draw(groupings(X.shape[1]))
    weights = data.draw(st.sampled_from([None, "sqrt"]))
    res = oracles.group_lasso(X, y, lam, groups, weights=weights)
    _check_result(res, lambda w: oracles.group_lasso_gap(X, y, lam, groups, w, weights))
    assert_group_lasso_optimal(X, y, lam, groups, res.x, weights)


@settings(max_examples=15)
@given(st.integers(0, 10 ** 6), st.floats(0.02, 0.9), st.booleans())
def test_logistic_oracles_are_certified(seed, frac, grouped):
    X, y, _, _ = logistic_data(60, 12, 3, seed=seed)
    if grouped:
        lam = frac * oracles.lam_max(X, y, "group_l1_logistic", 3, "sqrt")
        res = oracles.group_l1_logistic(X, y, lam, 3, weights="sqrt")
        _check_result(res, lambda w: oracles.group_l1_logistic_gap(X, y, lam, 3, w, "sqrt"))
        assert_group_l1_logistic_optimal(X, y, lam, 3, res.x, "sqrt")
    else:
        lam = frac * oracles.lam_max(X, y, "l1_logistic")
        res = oracles.l1_logistic(X, y, lam)
        _check_result(res, lambda w: oracles.l1_logistic_gap(X, y, lam, w))
        assert_l1_logistic_optimal(X, y, lam, res.x)


def test_lasso_agrees_with_scikit_learn():
    from sklearn.linear_model import Lasso
    X, y, _, _ = regression_data(80, 40, 5, rho=0.6, seed=3)
    lam = oracles.lam_max(X, y) / 20
    res = oracles.lasso(X, y, lam)
    ref = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=10 ** 6).fit(X, y).coef_
    assert res.polished
    np.testing.assert_array_equal(res.support, np.flatnonzero(ref))
    np.testing.assert_allclose(res.x, ref, atol=1e-7)


def test_polished_lasso_solves_the_sign_system_exactly():
    X, y, _, _ = regression_data(50, 30, 4, seed=1)
    lam = oracles.lam_max(X, y) / 8
    res = oracles.lasso(X, y, lam)
    assert res.polished and res.margin > 1e-6
    S = res.support
    XS = X[:, S]
    direct = np.linalg.solve(XS.T @ XS, XS.T @ y - X.shape[0] * lam * np.sign(res.x[S]))
    np.testing.assert_allclose(res.x[S], direct, rtol=1e-12)


def test_lam_above_lam_max_gives_zero():
    X, y, _, _ = regression_data(30, 10, 2, seed=2)
    res = oracles.lasso(X, y, 1.01 * oracles.lam_max(X, y))
    assert res.support.size == 0 and res.gap <= 1e-14 and res.margin > 0


def test_multitask_matches_lasso_for_one_task():
    X, y, _, _ = regression_data(40, 15, 3, seed=4)
    lam = oracles.lam_max(X, y) / 6
    mt = oracles.multitask_lasso(X, y[:, None], lam)
    single = oracles.lasso(X, y, lam)
    np.testing.assert_allclose(mt.x[:, 0], single.x, rtol=1e-9, atol=1e-12)
    assert mt.gap == oracles.multitask_lasso_gap(X, y[:, None], lam, mt.x)


def test_multitask_rows_are_jointly_sparse():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 12))
    V = np.zeros((12, 3))
    V[:3] = rng.normal(size=(3, 3))
    Y = X @ V + 0.1 * rng.normal(size=(40, 3))
    res = oracles.multitask_lasso(X, Y, 0.05)
    assert_certified(res)
    rows = np.flatnonzero(np.abs(res.x).sum(axis=1))
    np.testing.assert_array_equal(res.support, rows)
    assert set(range(3)) <= set(rows.tolist())


def test_orthogonal_closed_form():
    rng = np.random.default_rng(6)
    Q, _ = np.linalg.qr(rng.normal(size=(30, 8)))
    X = Q * np.sqrt(30)
    y = rng.normal(size=30)
    np.testing.assert_allclose(oracles.lasso(X, y, 0.2).x, oracles.lasso_orthogonal(X, y, 0.2),
                               rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="orthogonal"):
        oracles.lasso_orthogonal(X * 2, y, 0.2)


def test_group_soft_threshold_and_quadratic_minimizer():
    z = np.array([3.0, 4.0, 0.1, 0.0])
    np.testing.assert_allclose(oracles.group_soft_threshold(z, 2.5, 2),
                               [1.5, 2.0, 0.0, 0.0])
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -1.0])
    np.testing.assert_allclose(A @ oracles.quadratic_minimizer(A, b), b, rtol=1e-14)
    with pytest.raises(ValueError, match="positive definite"):
        oracles.quadratic_minimizer(-A, b)


def test_budget_exhaustion_raises_with_the_gap_reached():
    X, y, _, _ = regression_data(60, 200, 10, rho=0.6, seed=7)
    with pytest.raises(oracles.OracleConvergenceError, match="duality gap") as info:
        oracles.lasso(X, y, oracles.lam_max(X, y) / 100, tol=1e-14, max_iter=2)
    assert info.value.gap > info.value.tol


def test_gap_detects_a_wrong_point():
    X, y, _, _ = regression_data(40, 20, 3, seed=8)
    lam = oracles.lam_max(X, y) / 5
    res = oracles.lasso(X, y, lam)
    assert oracles.lasso_gap(X, y, lam, res.x * 1.001) > 1e3 * max(res.gap, 1e-16)
    with pytest.raises(AssertionError, match="not optimal"):
        assert_lasso_optimal(X, y, lam, res.x * 1.001)


@pytest.mark.parametrize("call, msg", [
    (lambda X, y: oracles.l1_logistic(X, np.sign(y), 0.0), "lam"),  # lam = 0: LS only
    (lambda X, y: oracles.lasso(X, y, -0.1), "lam"),
    (lambda X, y: oracles.group_lasso(X, y, 0.1, [np.arange(4), np.array([], int),
                                                  np.arange(4, 8)]), "non-empty index arrays"),
    (lambda X, y: oracles.group_l1_logistic(X, np.sign(y), 0.1, [np.arange(4), np.arange(3, 8)]),
     "partition"),
    (lambda X, y: oracles.lasso(X, y[:-1], 0.1), "y must have length"),
    (lambda X, y: oracles.lasso(X, y, 0.1, tol=-1), "tol"),
    (lambda X, y: oracles.l1_logistic(X, y, 0.1), r"\{-1, \+1\}"),
    (lambda X, y: oracles.group_lasso(X, y, 0.1, 3), "divide"),
    (lambda X, y: oracles.group_lasso(X, y, 0.1, 2, weights=[1.0]), "weights"),
    (lambda X, y: oracles.lasso(np.full_like(X, np.nan), y, 0.1), "NaN"),
    (lambda X, y: oracles.multitask_lasso(X, y[:5, None], 0.1), "rows"),
])
def test_bad_input_is_refused_by_name(call, msg):
    X, y, _, _ = regression_data(20, 8, 2, seed=0)
    with pytest.raises(ValueError, match=msg):
        call(X, y)
