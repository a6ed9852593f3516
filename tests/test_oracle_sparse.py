"""scipy.sparse designs: the same certified solutions as dense X, without densifying X."""

import numpy as np
import pytest
import scipy.sparse as sp

from sketchopt import oracles
from test_oracle_certificates import ld_relative_gap

KINDS = ("lasso", "group_lasso", "multitask_lasso", "l1_logistic", "group_l1_logistic")
FORMATS = (sp.csc_matrix, sp.csr_matrix, sp.coo_matrix, sp.csc_array, sp.csr_array)


def _data(kind, seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(80, 60, density=0.08, random_state=seed, format="csc")
    w = np.zeros(60)
    w[:6] = rng.normal(size=6)
    y = X @ w + 0.01 * rng.normal(size=80)
    if "logistic" in kind:
        y = np.where(y >= np.median(y), 1.0, -1.0)
    elif kind == "multitask_lasso":
        y = np.c_[y, X @ np.roll(w, 3)]
    return X, y


def _solve(kind, X, y, lam, **kw):
    fn = getattr(oracles, kind)
    return fn(X, y, lam, 3, **kw) if "group" in kind else fn(X, y, lam, **kw)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("kind", KINDS)
def test_sparse_and_dense_designs_give_the_same_certified_solution(kind, fmt):
    X, y = _data(kind)
    lam = 0.1 * oracles.lam_max(X, y, kind, 3 if "group" in kind else None)
    res = _solve(kind, fmt(X), y, lam)
    dense = _solve(kind, X.toarray(), y, lam)
    assert res.certified
    np.testing.assert_array_equal(res.support, dense.support)
    np.testing.assert_allclose(res.x, dense.x, rtol=1e-7, atol=1e-10)
    # checked against the dense data in long double (singleton-group kinds: L1 formula)
    if "group" not in kind:
        assert ld_relative_gap(kind, X.toarray(), y, lam, res.x) <= res.tol


def test_sparse_design_stays_sparse_inside_the_solver(monkeypatch):
    """The solver never densifies X: toarray is refused here except on small slices."""
    X, y = _data("lasso")
    real = sp.csc_matrix.toarray

    def guarded(self, *a, **k):
        assert self.shape[1] < X.shape[1], "the whole design was densified"
        return real(self, *a, **k)
    monkeypatch.setattr(sp.csc_matrix, "toarray", guarded)
    res = oracles.lasso(X, y, 0.05 * oracles.lam_max(X, y))
    assert res.certified


def test_logistic_options_take_sparse_designs():
    X, y = _data("l1_logistic")
    s = np.random.default_rng(1).uniform(0, 2, 80)
    kw = dict(fit_intercept=True, sample_weight=s, l2=0.01)
    lam = 0.1 * oracles.lam_max(X, y, "l1_logistic", **kw)
    res = oracles.l1_logistic(X, y, lam, **kw)
    dense = oracles.l1_logistic(X.toarray(), y, lam, **kw)
    np.testing.assert_allclose(res.x, dense.x, rtol=1e-7, atol=1e-10)
    assert res.intercept == pytest.approx(dense.intercept, rel=1e-8)


def test_sparse_inputs_are_checked():
    X, y = _data("lasso")
    with pytest.raises(ValueError, match="X must be real"):
        oracles.lasso(X.astype(complex), y, 0.1)
    bad = X.copy()
    bad.data[0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        oracles.lasso(bad, y, 0.1)
    with pytest.raises(ValueError, match="dense reduction"):
        oracles.lasso(X, y, 0.1, fit_intercept=True)
    with pytest.raises(ValueError, match="needs a dense X"):
        oracles.lasso(X, y, 0.1, tol=1e-13)
    with pytest.raises(ValueError, match="X must be a numeric array"):
        oracles.lasso([[1, 2], [3]], y[:2], 0.1)
    with pytest.raises(ValueError, match="X must be a numeric array"):
        oracles.lasso([["a", "b"], ["c", "d"]], y[:2], 0.1)
