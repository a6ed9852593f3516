"""Certificates at the edges: scale, overflow, stale errors, tolerance floor, stalls, hygiene.

Every returned point is re-checked here by an extended-precision duality gap written in this
file (``np.longdouble``, independent of :mod:`sketchopt.oracles.duality`), against the rule
the oracles state: ``gap <= tol * P(0)`` with ``P(0)`` the objective at zero.
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import sketchopt.testing as sktest
from sketchopt import oracles
from sketchopt.oracles import duality, sparse
from sketchopt.problems import logistic_data, regression_data

LD = np.longdouble
KINDS = ("lasso", "group_lasso", "multitask_lasso", "l1_logistic", "group_l1_logistic")
GROUP = 3


# ---------------------------------------------------------------- independent recomputation

def _group_list(kind, d):
    if "group" in kind:
        return [np.arange(j, j + GROUP) for j in range(0, d, GROUP)]
    return [np.array([j]) for j in range(d)]


def ld_relative_gap(kind, X, y, lam, x, positive=False):
    """``(P(x) - D(u(x))) / P(0)`` in long double, with the rescaled dual point; ``positive``:
    the constraint ``x >= 0`` (only positive correlations count in the dual norm)."""
    X, y, x = (np.asarray(a, dtype=LD) for a in (X, y, x))
    n = X.shape[0]
    groups = _group_list(kind, X.shape[1])

    def norms(v):
        return np.array([np.sqrt(np.sum(v[g] ** 2)) for g in groups])

    def dual_norms(v):
        return norms(np.maximum(v, 0) if positive else v)

    if positive and np.any(x < 0):
        return float("inf")

    lam = LD(lam)
    if "logistic" in kind:
        m = y * (X @ x)
        primal = np.mean(np.logaddexp(LD(0), -m)) + lam * norms(x).sum()
        s = 1 / (1 + np.exp(m))
        c = min(LD(1), 1 / max(np.max(dual_norms(X.T @ (y * s) / n)) / lam, LD(1e-300)))
        p = c * s

        def xlogx(q):
            return np.where(q > 0, q * np.log(np.where(q > 0, q, 1)), 0)
        dual = -np.mean(xlogx(p) + xlogx(1 - p))
        null = np.log(LD(2))
    else:
        r = y - X @ x
        primal = np.sum(r * r) / (2 * n) + lam * norms(x).sum()
        u = r / max(LD(1), np.max(dual_norms(X.T @ r / n)) / lam)
        dual = (np.sum(y * u) - np.sum(u * u) / 2) / n
        null = np.sum(y * y) / (2 * n)
    return float((primal - dual) / null)


# ------------------------------------------------------------------------------ instances

def instance(kind, seed=0):
    if "logistic" in kind:
        X, y, _, _ = logistic_data(60, 12, 3, label_noise=0.1, seed=seed)
    else:
        X, y, _, _ = regression_data(40, 12, 4, seed=seed)
        if kind == "multitask_lasso":
            y = np.c_[y, regression_data(40, 12, 4, seed=seed + 1)[1]]
    lam = 0.1 * oracles.lam_max(X, y, kind, GROUP if "group" in kind else None)
    return X, y, lam


def solve(kind, X, y, lam, **kw):
    fn = getattr(oracles, kind)
    return fn(X, y, lam, GROUP, **kw) if "group" in kind else fn(X, y, lam, **kw)


def public_gap(kind, X, y, lam, x):
    if "group" in kind:
        return getattr(oracles, f"{kind}_gap")(X, y, lam, GROUP, x)
    return getattr(oracles, f"{kind}_gap")(X, y, lam, x)


def check_optimal(kind, X, y, lam, res):
    """The returned point meets its tolerance by the long-double recomputation."""
    assert res.certified
    assert ld_relative_gap(kind, X, y, lam, res.x) <= res.tol
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.objective) and res.gap >= 0


# ------------------------------------------------------------------- 1. small objective scale

def _small_scale_case(kind):
    X, y, lam = instance(kind)
    if "logistic" in kind:             # labels do not scale: a tiny lam is the small case
        lam = 1e-4 * oracles.lam_max(X, y, kind, GROUP if "group" in kind else None)
        return X, y, lam, solve(kind, X, y, lam)
    return X, 1e-6 * y, 1e-6 * lam, solve(kind, X, 1e-6 * y, 1e-6 * lam)


@pytest.mark.parametrize("kind", KINDS)
def test_small_scale_is_solved_not_certified_at_zero(kind):
    X, y, lam, res = _small_scale_case(kind)
    check_optimal(kind, X, y, lam, res)
    assert res.support.size > 0        # zero is far from optimal here
    if "logistic" not in kind:         # and x scales with (y, lam): same point as at scale 1
        ref = solve(kind, *instance(kind))
        np.testing.assert_array_equal(res.support, ref.support)
        np.testing.assert_allclose(res.x / 1e-6, ref.x, rtol=1e-7, atol=1e-9)


def test_small_scale_check_fails_with_an_absolute_floor(monkeypatch):
    """Plant the old mistake (no rescaling, tolerance floor of 1 on the scale): the check
    above FAILS."""
    real = duality._null_objective
    monkeypatch.setattr(duality, "_null_objective", lambda f, y: max(1.0, real(f, y)))
    monkeypatch.setattr(duality.Scaling, "of", classmethod(lambda cls, X, y, f: cls()))
    with pytest.raises(AssertionError):
        for kind in ("lasso", "multitask_lasso"):
            X, y, lam, res = _small_scale_case(kind)
            check_optimal(kind, X, y, lam, res)


# ------------------------------------------------------------------------------ 2. overflow

@pytest.mark.parametrize("kind", ["lasso", "group_lasso", "multitask_lasso"])
def test_overflowing_objective_is_refused(kind):
    X, y, _ = instance(kind)
    with pytest.raises(ValueError, match="decades beyond float64"):
        solve(kind, X, 1e155 * y, 1e154)


@pytest.mark.parametrize("kind", ["l1_logistic", "group_l1_logistic"])
def test_overflowing_solution_is_refused(kind):
    X, y, lam = instance(kind)          # subnormal X: the solution is ~1e310
    with pytest.raises(ValueError, match="solution is about 1e310, 2 decades beyond"):
        solve(kind, 1e-310 * X, y, 1e-310 * lam)


def test_underflowing_objective_and_out_of_range_lam_are_refused():
    X, y, lam = instance("lasso")
    with pytest.raises(ValueError, match="decades below float64"):
        oracles.lasso(X, 1e-160 * y, 1e-160 * lam)
    with pytest.raises(ValueError, match="lam=.*beyond what float64 represents"):
        oracles.lasso(1e-200 * X, 1e-200 * y, 1e250)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_data_at_extreme_scales_solves_the_same_problem(kind, scale):
    X, y, lam = instance(kind)
    ref = solve(kind, X, y, lam)
    if "logistic" in kind:             # X c, lam c: w / c
        res = solve(kind, scale * X, y, scale * lam)
        back = res.x * scale
    else:                              # X c, y c, lam c^2: w unchanged
        res = solve(kind, scale * X, scale * y, scale ** 2 * lam)
        back = res.x
    assert res.certified and np.all(np.isfinite(res.x))
    assert ld_relative_gap(kind, X, y, lam, back) <= 1e-9   # tol + rounding of c X (10 x tol)
    np.testing.assert_array_equal(res.support, ref.support)


# ---------------------------------------------------------------------- 3. honest errors

@pytest.mark.parametrize("kind", KINDS)
def test_error_describes_the_returned_point(kind):
    X, y, lam = instance(kind)
    lam = lam / 10
    with pytest.raises(oracles.OracleConvergenceError, match="duality gap") as info:
        solve(kind, X, y, lam, max_iter=1)
    err = info.value
    assert err.name == kind and err.reason == "max_iter" and err.n_iter == 1
    assert err.x.shape == ((X.shape[1], y.shape[1]) if y.ndim > 1 else (X.shape[1],))
    # gap, objective and relative gap are those of err.x, recomputed at the end
    assert err.gap == pytest.approx(max(0.0, public_gap(kind, X, y, lam, err.x)), rel=1e-12)
    assert err.relative_gap == pytest.approx(ld_relative_gap(kind, X, y, lam, err.x), rel=1e-6)
    assert err.relative_gap > err.tol == 1e-10


@pytest.mark.parametrize("kind", KINDS)
def test_a_final_point_that_meets_tol_is_returned(kind):
    X, y, lam = instance(kind)
    full = solve(kind, X, y, lam / 10)
    res = solve(kind, X, y, lam / 10, max_iter=full.n_iter)    # just enough rounds
    check_optimal(kind, X, y, lam / 10, res)


# ------------------------------------------------------------- 4. tolerance and progress

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("tol", [1e-18, 1e-300, 1e-16])
def test_tolerance_below_float64_resolution_is_refused(kind, tol):
    X, y, lam = instance(kind)
    with pytest.raises(ValueError, match="smallest meaningful relative tolerance is 8.9e-16"):
        solve(kind, X, y, lam, tol=tol)


@pytest.mark.parametrize("kind", KINDS)
def test_tightest_tolerance_is_met_or_refused_honestly(kind):
    X, y, lam = instance(kind)
    try:
        res = solve(kind, X, y, lam, tol=1e-15)
    except oracles.OracleConvergenceError as err:
        assert err.reason in ("stalled", "max_iter") and err.relative_gap > 1e-15
    else:
        assert res.info["extended"]
        check_optimal(kind, X, y, lam, res)


@pytest.mark.parametrize("kind", KINDS)
def test_a_solver_that_makes_no_progress_stalls_instead_of_spinning(kind, monkeypatch):
    """Planted fault: inner solvers that do nothing. The driver must stop in a few rounds."""
    monkeypatch.setattr(sparse._kernels, "ls_ws_solve", lambda *a: (0, 0.0))
    monkeypatch.setattr(sparse._kernels, "logreg_ws_solve", lambda *a: (0, 0.0))
    monkeypatch.setattr(sparse, "_active_set_lasso", lambda prob: None)
    X, y, lam = instance(kind)
    with pytest.raises(oracles.OracleConvergenceError, match="stalled") as info:
        solve(kind, X, y, lam, max_iter=10 ** 6)
    assert info.value.reason == "stalled" and info.value.n_iter <= 2 * sparse._STALL_ROUNDS + 2


def test_stall_rule():
    assert not sparse._stalled([1.0] * sparse._STALL_ROUNDS)
    assert sparse._stalled([1.0] * (sparse._STALL_ROUNDS + 1))
    assert not sparse._stalled([1.0] + [0.4] * sparse._STALL_ROUNDS)


# ------------------------------------------------------------------------- 5. lam_max, norms

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_lam_max_at_extreme_scales(kind, scale):
    X, y, _ = instance(kind)
    groups = GROUP if "group" in kind else None
    ref = oracles.lam_max(X, y, kind, groups)
    if "logistic" in kind:
        assert oracles.lam_max(scale * X, y, kind, groups) == pytest.approx(scale * ref,
                                                                              rel=1e-14)
    else:
        assert oracles.lam_max(scale * X, scale * y, kind, groups) == pytest.approx(
            scale ** 2 * ref, rel=1e-14)


def test_lam_max_validates_kind_and_y():
    X, y, _ = instance("lasso")
    with pytest.raises(ValueError, match="kind must be one of"):
        oracles.lam_max(X, y, "ridge")
    with pytest.raises(ValueError, match="y must have length"):
        oracles.lam_max(X, y[:-1])
    with pytest.raises(ValueError, match="labels"):
        oracles.lam_max(X, y, "l1_logistic")
    with pytest.raises(ValueError, match="Y must be 2-dimensional"):
        oracles.lam_max(X, y, "multitask_lasso")


def test_group_norms_do_not_overflow_or_underflow():
    from sketchopt.penalties import Groups
    grp = Groups(2, 4)
    v = np.array([3e200, 4e200, 3e-200, 4e-200])
    np.testing.assert_allclose(grp.norms(v), [5e200, 5e-200], rtol=1e-15)


# ----------------------------------------------------------------------- 5. input hygiene

@pytest.mark.parametrize("kind", KINDS)
def test_complex_input_is_refused(kind):
    X, y, lam = instance(kind)
    with pytest.raises(ValueError, match="X must be real"):
        solve(kind, X + 1e-3j, y, lam)


def test_polished_is_false_when_the_restricted_system_is_singular():
    X, y, lam = instance("lasso")
    Xd = np.c_[X, X[:, 0]]                      # column d duplicates column 0
    res = oracles.lasso(Xd, y, lam / 10)
    check_optimal("lasso", Xd, y, lam / 10, res)
    grp, thr = duality.penalty_structure(lam / 10, None, None, Xd.shape[1])
    scaling = duality.Scaling.of(Xd, y, "ls")
    Xs, ys = scaling.data(Xd, y)
    prob = sparse._Problem(Xs, ys, grp, thr / scaling.sx / scaling.sy, "ls")
    w = scaling.from_weights(res.x)
    w[0], w[-1] = 0.5 * (w[0] + w[-1]), 0.5 * (w[0] + w[-1])    # both copies in the support
    assert sparse._polish(prob, w) is None
    if res.x[0] != 0 and res.x[-1] != 0:
        assert not res.polished


@pytest.mark.parametrize("kind", KINDS)
def test_gaps_are_clipped_with_the_raw_value_kept(kind):
    X, y, lam = instance(kind)
    res = solve(kind, X, y, lam)
    assert res.gap == max(0.0, res.info["raw_gap"]) and res.gap >= 0


def test_closed_forms_name_their_arguments():
    with pytest.raises(ValueError, match="z"):
        oracles.soft_threshold(np.ones((2, 2, 2)) + 1j, 0.1)
    with pytest.raises(ValueError, match="A must be square"):
        oracles.quadratic_minimizer(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="b must have length 2"):
        oracles.quadratic_minimizer(np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match="t must be a scalar or an array like z"):
        oracles.soft_threshold(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="t must be a scalar or one value per group"):
        oracles.group_soft_threshold(np.ones(4), np.ones(3), 2)
    with pytest.raises(ValueError, match="y must have length 4"):
        oracles.lasso_orthogonal(np.eye(4), np.ones(3), 0.1)


# --------------------------------------------------------------- 6. helpers that recompute

def test_testing_namespace_is_eager_and_complete():
    assert "assert_multitask_lasso_optimal" in dir(sktest)
    assert set(sktest.__all__) >= {"assert_certified", "assert_lasso_optimal",
                                   "assert_multitask_lasso_optimal", "strategies"}
    namespace = {}
    exec("from sketchopt.testing import *", namespace)
    assert "assert_group_l1_logistic_optimal" in namespace
    assert "max(1" not in sktest.__doc__ and "CLAIMS" not in sktest.assertions.__doc__


@pytest.mark.parametrize("kind", KINDS)
def test_assert_certified_recomputes(kind):
    X, y, lam = instance(kind)
    res = solve(kind, X, y, lam)
    sktest.assert_certified(res)
    # a lying result: the stored numbers say certified, the point is zero
    res.x = np.zeros_like(res.x)
    with pytest.raises(AssertionError, match="not optimal"):
        sktest.assert_certified(res)


def test_assert_certified_rejects_the_old_overflow_result():
    X, y, _ = instance("lasso")
    fake = oracles.OracleResult(x=np.zeros(X.shape[1]), objective=np.inf, gap=np.inf,
                                support=np.array([], int), n_iter=1, margin=0.0,
                                polished=False, tol=1e-10, kkt_violation=0.0,
                                null_objective=np.inf, relative_gap=0.0)
    with pytest.raises(AssertionError):
        sktest.assert_certified(fake, X=X, y=1e155 * y, lam=1e154, kind="lasso")
    fake.problem = {"kind": "lasso", "X": X, "y": y, "lam": 1.0}
    with pytest.raises(AssertionError):
        sktest.assert_certified(fake)
    with pytest.raises(ValueError, match="records no problem"):
        sktest.assert_certified(oracles.OracleResult(x=np.zeros(2), objective=0.0, gap=0.0,
                                                     support=np.array([], int), n_iter=1,
                                                     margin=0.0, polished=False, tol=1e-10,
                                                     kkt_violation=0.0))


def test_assertion_helpers_name_wrong_shapes():
    X, y, lam = instance("lasso")
    with pytest.raises(ValueError, match="w must have length 12"):
        sktest.assert_lasso_optimal(X, y, lam, np.zeros(11))
    with pytest.raises(ValueError, match="w must be 1-dimensional"):
        sktest.assert_group_lasso_optimal(X, y, lam, GROUP, np.zeros((12, 1)))
    Xm, Y, lam_m = instance("multitask_lasso")
    with pytest.raises(ValueError, match="V must"):
        sktest.assert_multitask_lasso_optimal(Xm, Y, lam_m, np.zeros(12))
    with pytest.raises(ValueError, match="X must be real"):
        sktest.assert_lasso_optimal(X + 0j * 1j + 1j, y, lam, np.zeros(12))


@pytest.mark.parametrize("kind", KINDS)
def test_helpers_pass_the_solution_and_reject_a_perturbation(kind):
    X, y, lam = instance(kind)
    res = solve(kind, X, y, lam)
    helper = getattr(sktest, f"assert_{kind}_optimal")
    args = (X, y, lam, GROUP, res.x) if "group" in kind else (X, y, lam, res.x)
    cert = helper(*args)
    assert cert.relative_gap == pytest.approx(ld_relative_gap(kind, X, y, lam, res.x),
                                              rel=1e-3, abs=1e-15)
    bad = res.x * 1.01
    args = (X, y, lam, GROUP, bad) if "group" in kind else (X, y, lam, bad)
    assert ld_relative_gap(kind, X, y, lam, bad) > 1e-9
    with pytest.raises(AssertionError, match="relative gap"):
        helper(*args)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_strategies_cover_small_lam_wide_designs_and_logistic(data):
    from sketchopt.testing import strategies as sts
    X, y, lam = data.draw(sts.lasso_instances(lam_fraction=(1e-4, 2e-4)))
    assert X.shape[1] >= 2 and lam <= 2e-4 * np.abs(X.T @ y).max() / X.shape[0] * (1 + 1e-12)
    X, y, lam = data.draw(sts.logistic_instances())
    assert set(np.unique(y)) == {-1.0, 1.0} and lam > 0
    X, y, lam, groups, weights = data.draw(sts.group_logistic_instances())
    res = oracles.group_l1_logistic(X, y, lam, groups, weights=weights)
    sktest.assert_certified(res)


def test_lasso_strategy_draws_wide_designs():
    from hypothesis import find
    from sketchopt.testing import strategies as sts
    X, _, _ = find(sts.lasso_instances(), lambda inst: inst[0].shape[1] > inst[0].shape[0])
    assert X.shape[1] > X.shape[0]


# ------------------------------------------------------------ the scaling property, 10^k

@settings(max_examples=40, deadline=None)
@given(st.sampled_from(KINDS), st.integers(-150, 150), st.integers(0, 10 ** 6),
       st.floats(-3.0, np.log10(0.9)))
def test_certified_solutions_scale_as_the_mathematics_says(kind, k, seed, log_frac):
    """X, y scaled by c with lam c^2 (least squares): w unchanged; X by c with lam c
    (logistic): w / c. Or a refusal that says why."""
    X, y, lam = instance(kind, seed)
    lam = lam * 10 * 10.0 ** log_frac            # a fraction of lam_max in [1e-3, 0.9]
    c = 10.0 ** k
    try:
        if "logistic" in kind:
            res = solve(kind, c * X, y, c * lam)
            back = res.x * c
        else:
            res = solve(kind, c * X, c * y, c * c * lam)
            back = res.x
    except ValueError as exc:
        assert "float64" in str(exc)
        return
    assert res.certified
    assert ld_relative_gap(kind, c * X, c * y if "logistic" not in kind else y,
                           res.problem["lam"], res.x) <= res.tol
    # the same point solves the unscaled problem (slack for rounding c X entry by entry)
    assert ld_relative_gap(kind, X, y, lam, back) <= 1e-9
