"""Regularisation paths: every point certified, equal to a cold solve, and to exact homotopy."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import lars_path

from sketchopt import oracles
from sketchopt.problems import logistic_data, regression_data
from test_oracle_certificates import ld_relative_gap

GROUP = 3


def test_lasso_path_matches_exact_homotopy_on_diabetes():
    X, y = load_diabetes(return_X_y=True)
    y = y - y.mean()                 # no intercept in this objective: centre as LARS would
    X = X - X.mean(axis=0)
    path = oracles.lasso_path(X, y, n_lams=30)
    alphas, _, coefs = lars_path(X, y, method="lasso")  # knots of the exact piecewise path
    for res in path:
        lam = res.problem["lam"]
        exact = np.array([np.interp(lam, alphas[::-1], c[::-1]) for c in coefs])
        assert ld_relative_gap("lasso", X, y, lam, res.x) <= res.tol
        # the exact point, recomputed in long double, is optimal too (LARS is not trusted)
        assert ld_relative_gap("lasso", X, y, lam, exact) <= 1e-12
        np.testing.assert_allclose(res.x, exact, atol=1e-6 * np.abs(exact).max() + 1e-9)
        np.testing.assert_array_equal(res.support, np.flatnonzero(np.abs(exact) > 1e-9))


def test_default_grid_and_warm_starts_agree_with_cold_solves():
    X, y, _, _ = regression_data(60, 40, 5, seed=2)
    path = oracles.lasso_path(X, y)
    lams = np.array([r.problem["lam"] for r in path])
    assert lams.size == 100
    assert lams[0] == pytest.approx(oracles.lam_max(X, y), rel=1e-15)
    assert lams[-1] == pytest.approx(lams[0] / 1000, rel=1e-12)
    assert path[0].support.size == 0
    for res in path[::11]:
        cold = oracles.lasso(X, y, res.problem["lam"])
        np.testing.assert_array_equal(res.support, cold.support)
        np.testing.assert_allclose(res.x, cold.x, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("kind", ["l1_logistic", "group_lasso", "group_l1_logistic"])
def test_every_point_of_the_other_paths_is_certified(kind):
    if "logistic" in kind:
        X, y, _, _ = logistic_data(80, 12, 3, label_noise=0.1, seed=1)
    else:
        X, y, _, _ = regression_data(50, 12, 4, seed=1)
    fn = getattr(oracles, f"{kind}_path")
    path = fn(X, y, GROUP, n_lams=12) if "group" in kind else fn(X, y, n_lams=12)
    assert len(path) == 12
    sizes = [r.support.size for r in path]
    assert sizes[0] == 0 and sizes[-1] > 0
    for res in path:
        assert res.certified and res.problem["kind"] == kind
        assert ld_relative_gap(kind, X, y, res.problem["lam"], res.x) <= res.tol


def test_path_inputs_are_checked(capsys):
    X, y, _, _ = regression_data(30, 8, 3, seed=0)
    with pytest.raises(ValueError, match="strictly decreasing"):
        oracles.lasso_path(X, y, [0.1, 0.2])
    with pytest.raises(ValueError, match="lams must be > 0"):
        oracles.lasso_path(X, y, [0.1, -0.2])
    with pytest.raises(ValueError, match="eps must be"):
        oracles.lasso_path(X, y, eps=2.0)
    with pytest.raises(ValueError, match="lam_max is 0"):
        oracles.lasso_path(np.zeros((5, 2)), np.ones(5))
    with pytest.raises(ValueError, match="smallest meaningful"):
        oracles.lasso_path(X, y, tol=1e-20)
    oracles.lasso_path(X, y, [0.5, 0.1], verbose=True)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("lasso_path: 2/2  lam 1.0000e-01")


@pytest.mark.parametrize("kind, opts", [("lasso", {"fit_intercept": True}),
                                        ("lasso", {"positive": True}),
                                        ("l1_logistic", {"fit_intercept": True, "l2": 0.01})])
def test_paths_take_the_options(kind, opts):
    if "logistic" in kind:
        X, y, _, _ = logistic_data(80, 12, 3, label_noise=0.1, seed=1)
        X = X + 0.3
    else:
        X, y, _, _ = regression_data(50, 12, 4, seed=1)
        y = y + 3.0
    path = getattr(oracles, f"{kind}_path")(X, y, n_lams=6, **opts)
    assert path[0].support.size == 0 and path[-1].support.size > 0
    lmax = oracles.lam_max(X, y, kind, **opts)
    assert path[0].problem["lam"] == pytest.approx(lmax, rel=1e-15)
    for res in path[1::2]:
        cold = getattr(oracles, kind)(X, y, res.problem["lam"], **opts)
        assert res.certified
        np.testing.assert_allclose(res.x, cold.x, rtol=1e-6, atol=1e-9)
        assert res.intercept == pytest.approx(cold.intercept, rel=1e-8, abs=1e-12)
    with pytest.raises(TypeError, match="unexpected keyword argument.*fit_intercep\\b"):
        getattr(oracles, f"{kind}_path")(X, y, n_lams=2, fit_intercep=True)
