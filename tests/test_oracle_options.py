"""Least-squares oracles with options: intercept, sample weights, elastic net, feature weights.

Every certificate is re-checked by a duality gap written in this file (not imported from the
package), and the solutions are compared with scikit-learn run at a tight tolerance, whose own
gap is recomputed by the same formula.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.datasets import load_breast_cancer, load_diabetes, load_linnerud
from sklearn.linear_model import (ElasticNet, Lasso, LogisticRegression, MultiTaskElasticNet,
                                  MultiTaskLasso)

import sketchopt.testing as sktest
from sketchopt import oracles
from sketchopt.oracles import options
from sketchopt.problems import logistic_data, regression_data


# ------------------------------------------------------------ the gap, written independently

def options_gap(X, Y, lam, w, b=0.0, *, groups=None, c=None, s=None, l2=0.0,
                fit_intercept=False, positive=False):
    """``(relative gap, objective)`` of ``(w, b)``; groups: list of index arrays (rows of
    ``w`` for a matrix ``w``), ``c`` per-group weights (0: unpenalized); ``positive``: the
    constraint ``w >= 0`` (its conjugate sees only positive correlations)."""
    n, d = X.shape
    groups = [np.array([j]) for j in range(d)] if groups is None else groups
    c = np.ones(len(groups)) if c is None else np.asarray(c, float)
    p = np.full(n, 1.0 / n) if s is None else np.asarray(s, float) / np.sum(s)
    P = p[:, None] if Y.ndim > 1 else p
    b = b if fit_intercept else 0.0

    def gnorm(v, g):
        return np.sqrt(np.sum(v[g] ** 2))

    R = Y - X @ w - b
    primal = 0.5 * np.sum(P * R ** 2) + lam * sum(cg * gnorm(w, g) for g, cg in zip(groups, c)) \
        + 0.5 * l2 * np.sum(w ** 2) + (np.inf if positive and np.any(w < 0) else 0.0)
    U = R.copy()
    free = [g for g, cg in zip(groups, c) if cg == 0]
    cols = ([X[:, np.concatenate(free)]] if free and l2 == 0 else []) + \
        ([np.ones((n, 1))] if fit_intercept else [])
    if cols:                     # make u orthogonal to the free columns in the p-weighted sense
        A = np.hstack(cols)
        sw = np.sqrt(p)
        coef = np.linalg.lstsq(A * sw[:, None], U * (sw[:, None] if U.ndim > 1 else sw),
                               rcond=None)[0]
        U = U - A @ coef
    Z = X.T @ (P * U)
    if positive:
        Z = np.maximum(Z, 0.0)
    zn = np.array([gnorm(Z, g) for g in groups])
    if l2 == 0:
        on = c > 0
        if np.any(on):
            U = U / max(1.0, np.max(zn[on] / (lam * c[on])))
        conj = 0.0
    else:
        conj = np.sum(np.maximum(zn - lam * c, 0.0) ** 2) / (2 * l2)
    dual = np.sum(P * (Y * U - 0.5 * U ** 2)) - conj
    Yc = Y - (np.sum(P * Y, axis=0) if fit_intercept else 0.0)
    return (primal - dual) / (0.5 * np.sum(P * Yc ** 2)), primal


def data(seed=0, n=60, d=15, offset=3.0):
    X, y, _, _ = regression_data(n, d, 4, seed=seed)
    return X, y + offset


def weights(n, seed=0, zeros=True):
    s = np.random.default_rng(seed).uniform(0.0, 2.0, n)
    if zeros:
        s[:3] = 0.0
    return s


# -------------------------------------------------------------- against scikit-learn, exact

@pytest.mark.parametrize("use_weights", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_lasso_and_elastic_net_with_intercept_match_scikit_learn_on_diabetes(use_weights,
                                                                            l1_ratio):
    X, y = load_diabetes(return_X_y=True)
    s = weights(X.shape[0]) if use_weights else None
    alpha = 0.05
    lam, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    ours = oracles.lasso(X, y, lam, fit_intercept=True, sample_weight=s, l2=l2)
    Model = Lasso if l1_ratio == 1 else ElasticNet
    kw = {} if l1_ratio == 1 else {"l1_ratio": l1_ratio}
    ref = Model(alpha=alpha, tol=1e-14, max_iter=10 ** 6, **kw).fit(X, y, sample_weight=s)
    gap_ours, obj_ours = options_gap(X, y, lam, ours.x, ours.intercept, s=s, l2=l2,
                                     fit_intercept=True)
    gap_ref, obj_ref = options_gap(X, y, lam, ref.coef_, ref.intercept_, s=s, l2=l2,
                                   fit_intercept=True)
    assert gap_ours <= ours.tol and ours.certified
    assert ours.relative_gap == pytest.approx(max(gap_ours, 0.0), abs=1e-13)
    assert gap_ref <= 1e-8                 # the reference really is tight, by our formula
    np.testing.assert_allclose(ours.x, ref.coef_, atol=1e-4 * np.abs(ref.coef_).max())
    assert ours.intercept == pytest.approx(ref.intercept_, rel=1e-6)
    assert obj_ours <= obj_ref + ours.tol * ours.null_objective


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_multitask_with_intercept_matches_scikit_learn_on_linnerud(l2):
    X, Y = load_linnerud(return_X_y=True)
    X = X / X.std(axis=0)
    lam = 2.0
    ours = oracles.multitask_lasso(X, Y, lam, fit_intercept=True, l2=l2)
    if l2 == 0:
        ref = MultiTaskLasso(alpha=lam, tol=1e-14, max_iter=10 ** 6).fit(X, Y)
    else:
        alpha = lam + l2
        ref = MultiTaskElasticNet(alpha=alpha, l1_ratio=lam / alpha, tol=1e-14,
                                  max_iter=10 ** 6).fit(X, Y)
    groups = [np.array([j]) for j in range(X.shape[1])]       # rows of V
    gap, _ = options_gap(X, Y, lam, ours.x, ours.intercept, groups=groups, l2=l2,
                         fit_intercept=True)
    assert ours.x.shape == (3, 3) and ours.intercept.shape == (3,)
    assert gap <= ours.tol
    np.testing.assert_allclose(ours.x, ref.coef_.T, atol=1e-5 * np.abs(ref.coef_).max())
    np.testing.assert_allclose(ours.intercept, ref.intercept_, rtol=1e-6)


# ------------------------------------------------------ every option, every LS solver, exact

@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["lasso", "group_lasso", "multitask_lasso"]), st.integers(0, 10 ** 6),
       st.booleans(), st.booleans(), st.sampled_from([0.0, 1e-3, 0.5]), st.booleans(),
       st.floats(0.01, 0.8))
def test_every_option_is_certified_by_the_independent_gap(kind, seed, intercept, use_s, l2,
                                                          free, frac):
    X, y = data(seed, n=40, d=12)
    if kind == "multitask_lasso":
        y = np.c_[y, data(seed + 1, n=40, d=12)[1]]
    s = weights(40, seed) if use_s else None
    groups = [np.arange(j, j + 3) for j in range(0, 12, 3)] if kind == "group_lasso" else \
        [np.array([j]) for j in range(12)]
    c = np.ones(len(groups))
    if free and kind != "multitask_lasso":
        c[0] = 0.0                         # the first feature (group) unpenalized
    kw = dict(fit_intercept=intercept, sample_weight=s, l2=l2)
    if kind == "lasso":
        kw["feature_weights"] = c
        fn = oracles.lasso
    elif kind == "group_lasso":
        fn = lambda X, y, lam, **o: oracles.group_lasso(X, y, lam, 3, weights=c, **o)  # noqa
    else:
        fn = oracles.multitask_lasso
    lmax = oracles.lam_max(X, y, kind, 3 if kind == "group_lasso" else None,
                           c if kind == "group_lasso" else None,
                           **{k: v for k, v in kw.items()})
    lam = frac * lmax
    res = fn(X, y, lam, **kw)
    gap, obj = options_gap(X, y, lam, res.x, res.intercept, groups=groups, c=c, s=s, l2=l2,
                           fit_intercept=intercept)
    assert res.certified and gap <= res.tol
    assert obj == pytest.approx(res.objective, rel=1e-12, abs=1e-14)
    sktest.assert_certified(res)
    # at lam_max every penalized coefficient is zero, just below it one is not
    at_max = fn(X, y, lmax, **kw)
    pen_cols = np.concatenate([g for g, cg in zip(groups, c) if cg > 0])
    assert not np.any(at_max.x[pen_cols])
    below = fn(X, y, 0.98 * lmax, **kw)
    assert np.any(below.x[pen_cols])


def test_zero_weight_feature_is_unpenalized_and_refit():
    X, y = data(1)
    c = np.ones(15)
    c[[2, 7]] = 0.0
    lam = 10 * oracles.lam_max(X, y, feature_weights=c)     # everything penalized is zero
    res = oracles.lasso(X, y, lam, feature_weights=c, fit_intercept=True)
    assert set(res.support) == {2, 7}
    A = np.c_[X[:, [2, 7]], np.ones(60)]                     # the least-squares refit
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(res.x[[2, 7]], coef[:2], rtol=1e-10)
    assert res.intercept == pytest.approx(coef[2], rel=1e-10)


def test_options_at_extreme_scales_give_the_same_solution():
    X, y = data(2)
    s = weights(60, 2)
    ref = oracles.lasso(X, y, 0.05, fit_intercept=True, sample_weight=s, l2=0.1)
    for c in (1e-150, 1e150):
        # X and y by c: w unchanged, b by c, lam and l2 by c^2... for l2: l2 ||w||^2 with
        # the datafit scaling by c^2 needs l2 c^2
        res = oracles.lasso(c * X, c * y, 0.05 * c * c, fit_intercept=True, sample_weight=s,
                            l2=0.1 * c * c)
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-9, atol=1e-12)
        assert res.intercept == pytest.approx(c * ref.intercept, rel=1e-9)
        assert res.certified


# ---------------------------------------------------------------------- bad inputs, failures

@pytest.mark.parametrize("kw, match", [
    ({"sample_weight": -np.ones(60)}, "sample_weight must be >= 0"),
    ({"sample_weight": np.zeros(60)}, "at least one positive"),
    ({"sample_weight": np.ones(59)}, "sample_weight must have length 60"),
    ({"l2": -1.0}, "l2 must be >= 0"),
    ({"feature_weights": -np.ones(15)}, "feature_weights must be >= 0"),
    ({"feature_weights": np.zeros(15)}, "at least one weight must be > 0"),
    ({"feature_weights": np.ones(3)}, "feature_weights must have length 15"),
    ({"fit_intercept": "yes"}, "fit_intercept must be True or False"),
])
def test_bad_options_are_refused_with_their_name(kw, match):
    X, y = data()
    with pytest.raises(ValueError, match=match):
        oracles.lasso(X, y, 0.1, **kw)


def test_non_unique_unpenalized_part_is_refused():
    X, y = data()
    X = np.c_[X, np.ones(60)]                        # a constant column, unpenalized
    c = np.ones(16)
    c[-1] = 0.0
    with pytest.raises(ValueError, match="not of full column rank"):
        oracles.lasso(X, y, 0.1, feature_weights=c, fit_intercept=True)


def test_a_wrong_intercept_is_caught_by_the_recomputation(monkeypatch):
    """Planted mistake: the reduction forgets to refit the intercept. The certificate
    recomputed on the original problem FAILS it (and the helpers reject the point)."""
    X, y = data()
    real = options._Reduction.recover
    monkeypatch.setattr(options._Reduction, "recover",
                        lambda self, wP: (real(self, wP)[0], 0.0))
    with pytest.raises(oracles.OracleConvergenceError, match="recomputed on the original"):
        oracles.lasso(X, y, 0.05, fit_intercept=True)
    monkeypatch.undo()
    res = oracles.lasso(X, y, 0.05, fit_intercept=True)
    with pytest.raises(AssertionError, match="not optimal"):
        sktest.assert_lasso_optimal(X, y, 0.05, res.x, fit_intercept=True, intercept=0.0)
    sktest.assert_lasso_optimal(X, y, 0.05, res.x, fit_intercept=True, intercept=res.intercept)


def test_planted_mistake_in_the_options_certificate_is_caught(monkeypatch):
    """Planted mistake: the dual point not centred (intercept constraint dropped). The
    independent gap of this file disagrees with the package's."""
    from sketchopt.oracles import duality
    X, y = data()
    res = oracles.lasso(X, y, 0.05, fit_intercept=True)
    b = res.intercept + 0.5          # off the optimal intercept: the residual is not centred
    honest = duality.certificate(X, y, 0.05, res.x, intercept=b,
                                 fit_intercept=True).relative_gap
    real = duality.ls_options_certificate
    monkeypatch.setattr(duality, "ls_options_certificate",
                        lambda *a: real(*a[:9], False, *a[10:]))  # fit_intercept
    broken = duality.certificate(X, y, 0.05, res.x, intercept=b,
                                 fit_intercept=True).relative_gap
    mine, _ = options_gap(X, y, 0.05, res.x, b, fit_intercept=True)
    assert honest == pytest.approx(max(mine, 0.0), abs=1e-13)
    assert broken != pytest.approx(max(mine, 0.0), abs=1e-6)


# ------------------------------------------------------------------------------ positivity

@pytest.mark.parametrize("kw", [{}, {"fit_intercept": True},
                                {"fit_intercept": True, "sample_weight": weights(442)}])
def test_positive_lasso_matches_scikit_learn_on_diabetes(kw):
    X, y = load_diabetes(return_X_y=True)
    if "fit_intercept" not in kw:
        y = y - y.mean()
    lam = 0.05
    ours = oracles.lasso(X, y, lam, positive=True, **kw)
    ref = Lasso(alpha=lam, positive=True, fit_intercept=kw.get("fit_intercept", False),
                tol=1e-14, max_iter=10 ** 6).fit(X, y, sample_weight=kw.get("sample_weight"))
    gap, _ = options_gap(X, y, lam, ours.x, ours.intercept, s=kw.get("sample_weight"),
                         fit_intercept=kw.get("fit_intercept", False), positive=True)
    assert np.all(ours.x >= 0) and gap <= ours.tol
    assert oracles.lasso(X, y, lam, **kw).x.min() < 0       # the constraint is active here
    np.testing.assert_allclose(ours.x, ref.coef_, atol=1e-4 * np.abs(ref.coef_).max())
    sktest.assert_certified(ours)


def test_positive_l1_logistic_is_certified_and_a_signed_solution_is_rejected():
    from test_oracle_certificates import ld_relative_gap
    from sketchopt.problems import logistic_data
    X, y, _, _ = logistic_data(80, 12, 3, label_noise=0.1, seed=1)
    lam = 0.01
    res = oracles.l1_logistic(X, y, lam, positive=True)
    free = oracles.l1_logistic(X, y, lam)
    assert np.all(res.x >= 0) and free.x.min() < 0
    assert ld_relative_gap("l1_logistic", X, y, lam, res.x, positive=True) <= res.tol
    sktest.assert_l1_logistic_optimal(X, y, lam, res.x, positive=True)
    # the unconstrained solution is not a solution of the constrained problem: FAILS
    with pytest.raises(AssertionError, match="not optimal"):
        sktest.assert_l1_logistic_optimal(X, y, lam, free.x, positive=True)
    # nor is the constrained one optimal without the constraint
    with pytest.raises(AssertionError, match="not optimal"):
        sktest.assert_l1_logistic_optimal(X, y, lam, res.x)
    assert oracles.lam_max(X, y, "l1_logistic", positive=True) <= oracles.lam_max(
        X, y, "l1_logistic")


def test_positive_is_refused_where_it_is_not_defined():
    X, y = data()
    with pytest.raises(ValueError, match="positive=True is available for lasso"):
        oracles.lam_max(X, y, "group_lasso", 3, positive=True)
    c = np.ones(15)
    c[0] = 0
    with pytest.raises(ValueError, match="zero feature_weights is not supported"):
        oracles.lasso(X, y, 0.1, positive=True, feature_weights=c)
    with pytest.raises(ValueError, match="positive must be True or False"):
        oracles.lasso(X, y, 0.1, positive="yes")


# ------------------------------------------------------------------- logistic with options

def _xlogx(q):
    return np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0)


def logistic_gap(X, y, lam, w, b=0.0, *, groups=None, c=None, s=None, l2=0.0,
                 fit_intercept=False, positive=False):
    """``(relative gap, objective)`` of ``(w, b)`` for weighted logistic + group penalty + l2:
    the primal at ``(w, b)``, the dual at ``(w, b)`` with the intercept (and, when ``l2 = 0``,
    the unpenalized features) refitted by a Newton method written here."""
    n, d = X.shape
    groups = [np.array([j]) for j in range(d)] if groups is None else groups
    c = np.ones(len(groups)) if c is None else np.asarray(c, float)
    p = np.full(n, 1.0 / n) if s is None else np.asarray(s, float) / np.sum(s)
    b = b if fit_intercept else 0.0

    def loss(m):
        return p @ np.logaddexp(0.0, -m)

    def gnorm(v, g):
        return np.sqrt(np.sum(v[g] ** 2))

    primal = loss(y * (X @ w + b)) + lam * sum(cg * gnorm(w, g) for g, cg in zip(groups, c)) \
        + 0.5 * l2 * w @ w + (np.inf if positive and np.any(w < 0) else 0.0)
    free = [j for g, cg in zip(groups, c) if cg == 0 and l2 == 0 for j in g]
    A = np.c_[X[:, free], np.ones(n)] if fit_intercept else X[:, free]
    theta = np.r_[w[free], b] if fit_intercept else w[free]
    wr = w.copy()
    rest = X @ np.where(np.isin(np.arange(d), free), 0.0, w)
    for _ in range(100):                                   # Newton on the free part
        m = y * (rest + A @ theta)
        sig = 1 / (1 + np.exp(m))
        g = A.T @ (-p * y * sig)
        if A.shape[1] == 0 or np.max(np.abs(g)) < 1e-16:
            break
        H = (A.T * (p * sig * (1 - sig))) @ A
        step = np.linalg.solve(H, g)
        t = 1.0
        while loss(y * (rest + A @ (theta - t * step))) > loss(m) and t > 1e-12:
            t /= 2
        theta = theta - t * step
    wr[free] = theta[:len(free)]
    br = theta[-1] if fit_intercept else 0.0
    m = y * (X @ wr + br)
    sig = 1 / (1 + np.exp(m))
    z = X.T @ (p * y * sig)
    if positive:
        z = np.maximum(z, 0.0)
    zn = np.array([gnorm(z, g) for g in groups])
    if l2 == 0:
        on = c > 0
        k = min(1.0, 1.0 / max(np.max(zn[on] / (lam * c[on])), 1e-300))
        dual = -(p @ (_xlogx(k * sig) + _xlogx(1 - k * sig)))
    else:
        dual = -(p @ (_xlogx(sig) + _xlogx(1 - sig))) - np.sum(
            np.maximum(zn - lam * c, 0.0) ** 2) / (2 * l2)
    q = p[y > 0].sum()
    null = -(_xlogx(q) + _xlogx(1 - q)) if fit_intercept else np.log(2)
    return (primal - dual) / null, primal


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_l1_logistic_with_intercept_matches_scikit_learn_on_breast_cancer(C):
    X, y01 = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = 2.0 * y01 - 1
    lam = 1 / (C * X.shape[0])          # scikit-learn: C sum_i loss_i + ||w||_1
    ours = oracles.l1_logistic(X, y, lam, fit_intercept=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # saga's own convergence notes
        ref = LogisticRegression(l1_ratio=1.0, C=C, solver="saga", tol=1e-12,
                                 max_iter=200000).fit(X, y01)
    gap, obj = logistic_gap(X, y, lam, ours.x, ours.intercept, fit_intercept=True)
    gap_ref, obj_ref = logistic_gap(X, y, lam, ref.coef_.ravel(), ref.intercept_[0],
                                    fit_intercept=True)
    assert ours.certified and gap <= ours.tol
    assert gap_ref <= 1e-7                # the reference is tight by our formula
    assert obj <= obj_ref + ours.tol * ours.null_objective
    np.testing.assert_allclose(ours.x, ref.coef_.ravel(), atol=1e-4)
    assert ours.intercept == pytest.approx(ref.intercept_[0], abs=1e-4)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["l1_logistic", "group_l1_logistic"]), st.integers(0, 10 ** 6),
       st.booleans(), st.booleans(), st.sampled_from([0.0, 1e-3, 0.1]), st.booleans(),
       st.booleans(), st.floats(0.02, 0.8))
def test_logistic_options_are_certified_by_the_independent_gap(kind, seed, intercept, use_s,
                                                               l2, free, positive, frac):
    X, y, _, _ = logistic_data(60, 12, 3, label_noise=0.1, seed=seed)
    X = X + 0.3                                         # a non-zero mean: the intercept matters
    s = weights(60, seed) if use_s else None
    grouped = kind == "group_l1_logistic"
    groups = [np.arange(j, j + 3) for j in range(0, 12, 3)] if grouped else \
        [np.array([j]) for j in range(12)]
    c = np.ones(len(groups))
    positive = positive and not grouped and not free
    if free:
        c[0] = 0.0
    kw = dict(fit_intercept=intercept, sample_weight=s, l2=l2)
    if grouped:
        fn = lambda X, y, lam, **o: oracles.group_l1_logistic(X, y, lam, 3, weights=c, **o)  # noqa
        lmax = oracles.lam_max(X, y, kind, 3, c, **kw)
    else:
        kw.update(feature_weights=c, positive=positive)
        fn = oracles.l1_logistic
        lmax = oracles.lam_max(X, y, kind, **kw)
    lam = frac * lmax
    res = fn(X, y, lam, **kw)
    gap, obj = logistic_gap(X, y, lam, res.x, res.intercept, groups=groups, c=c, s=s, l2=l2,
                            fit_intercept=intercept, positive=positive)
    assert res.certified and gap <= res.tol
    assert obj == pytest.approx(res.objective, rel=1e-12)
    sktest.assert_certified(res)
    # lam_max within 2 %: all penalized coefficients zero just above it, not just below
    pen_cols = np.concatenate([g for g, cg in zip(groups, c) if cg > 0])
    assert not np.any(fn(X, y, 1.02 * lmax, **kw).x[pen_cols])
    assert np.any(fn(X, y, 0.98 * lmax, **kw).x[pen_cols])


def test_logistic_certificate_refits_the_intercept(monkeypatch):
    """At a wrong intercept the package's certificate equals the independent one; with the
    refit planted out (the dual point of the wrong intercept used as is) it does not."""
    from sketchopt.oracles import duality
    X, y, _, _ = logistic_data(60, 12, 3, label_noise=0.1, seed=3)
    X = X + 0.3
    res = oracles.l1_logistic(X, y, 0.02, fit_intercept=True)
    b = res.intercept + 0.5
    honest = oracles.certificate(X, y, 0.02, res.x, "l1_logistic", intercept=b,
                                 fit_intercept=True).relative_gap
    mine, _ = logistic_gap(X, y, 0.02, res.x, b, fit_intercept=True)
    assert honest == pytest.approx(mine, rel=1e-9)
    monkeypatch.setattr(duality, "refit_free", lambda X, y, w, *a, **k: np.array(w, float))
    broken = oracles.certificate(X, y, 0.02, res.x, "l1_logistic", intercept=b,
                                 fit_intercept=True).relative_gap
    assert broken != pytest.approx(mine, rel=1e-3)


# ------------------------------------------------------------------------- lam = 0

@pytest.mark.parametrize("kw", [{}, {"fit_intercept": True}, {"sample_weight": weights(60)},
                                {"fit_intercept": True, "l2": 0.3}])
def test_lam_zero_is_least_squares_solved_and_certified(kw):
    X, y = data(4)
    res = oracles.lasso(X, y, 0.0, **kw)
    s = kw.get("sample_weight")
    sw = np.sqrt(np.ones(60) if s is None else s)
    l2 = kw.get("l2", 0.0)
    A = np.c_[X, np.ones(60)] if kw.get("fit_intercept") else X
    rows = np.r_[A * sw[:, None], np.sqrt(l2 * sw @ sw) * np.eye(A.shape[1])[:15]]
    rhs = np.r_[y * sw, np.zeros(15)]
    exact = np.linalg.lstsq(rows, rhs, rcond=None)[0]      # written out: (weighted) ridge
    np.testing.assert_allclose(res.x, exact[:15], rtol=1e-9, atol=1e-12)
    if kw.get("fit_intercept"):
        assert res.intercept == pytest.approx(exact[15], rel=1e-9)
    gap, _ = options_gap(X, y, 0.0, res.x, res.intercept, c=np.zeros(15), s=s, l2=l2,
                         fit_intercept=kw.get("fit_intercept", False))
    assert res.certified and gap <= res.tol
    assert "lam = 0" in res.info["certificate"]


def test_lam_zero_without_a_unique_solution_is_refused():
    X, y = data(4)
    for bad in (X[:10], np.c_[X, X[:, 0]]):
        with pytest.raises(ValueError, match="X is not of full column rank"):
            oracles.lasso(bad, y[:bad.shape[0]], 0.0)
    with pytest.raises(ValueError, match="X with the intercept column is not of full"):
        oracles.lasso(np.c_[X, np.ones(60)], y, 0.0, fit_intercept=True)
    assert oracles.lasso(X[:10], y[:10], 0.0, l2=0.1).certified    # l2 > 0: unique again
    with pytest.raises(ValueError, match="lam must be > 0"):
        oracles.l1_logistic(X, np.sign(y - y.mean()), 0.0)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_the_option_strategies_give_certified_problems(data):
    from sketchopt.testing import strategies as sts
    X, y, lam = data.draw(sts.sparse_lasso_instances())
    assert X.format == "csc"
    res = oracles.lasso(X, y, lam)
    gap, _ = options_gap(X.toarray(), y, lam, res.x)
    assert res.certified and gap <= res.tol
    Xd = X.toarray() + np.random.default_rng(0).normal(size=X.shape)   # full column rank-ish
    s = data.draw(sts.sample_weights(X.shape[0]))
    c = data.draw(sts.feature_weights(X.shape[1], zeros=False))
    assert s.sum() > 0 and np.all(s >= 0) and np.all(c > 0)
    res = oracles.lasso(Xd, y, lam, sample_weight=s, feature_weights=c, fit_intercept=True)
    gap, _ = options_gap(Xd, y, lam, res.x, res.intercept, c=c, s=s, fit_intercept=True)
    assert res.certified and gap <= res.tol


def test_rank_deficient_weighted_rows_are_solved():
    """Two positive sample weights and an intercept leave one effective row in a wide design:
    coordinate descent stalls there and the active-set fallback needs its null-direction step
    (found by the option strategies; a quarter of these draws failed before)."""
    import scipy.sparse as sp
    y = np.array([-1.43263508, 0.2087975, -0.28861022, 0.12715335, -0.53137929])
    c = np.ones(58)
    c[2], c[40] = 0.21875, 0.109375
    s = np.array([1.0, 0, 0, 1, 0])
    lam = 0.003665350642623976
    for seed in range(12):
        X = sp.random(5, 58, density=72 / 290, random_state=seed).toarray() + \
            np.random.default_rng(0).normal(size=(5, 58))
        res = oracles.lasso(X, y, lam, sample_weight=s, feature_weights=c, fit_intercept=True)
        gap, _ = options_gap(X, y, lam, res.x, res.intercept, c=c, s=s, fit_intercept=True)
        assert res.certified and gap <= res.tol
