import numpy as np
import pytest
from hypothesis import given, strategies as st
from scipy.optimize import brentq

from sketchopt.penalties import L1, GroupL1, Groups
from sketchopt.testing.strategies import groupings


@st.composite
def group_problems(draw, max_d=9):
    d = draw(st.integers(1, max_d))
    groups = draw(groupings(d))
    seed = draw(st.integers(0, 2 ** 31))
    rng = np.random.default_rng(seed)
    z = rng.normal(size=d) * 2
    p = rng.uniform(0.05, 5.0, size=d)
    lam = draw(st.floats(0.01, 2.0))
    weights = draw(st.sampled_from([None, "sqrt"]))
    return GroupL1(lam, groups, weights=weights), z, p


@given(group_problems(), st.floats(0.1, 3.0))
def test_group_prox_diag_is_optimal(problem, step):
    pen, z, p = problem
    w = pen.prox_diag(z, p, step)
    # 0 in step*d psi(w) + diag(p)(w - z)  <=>  dist(-p(w - z)/step, d psi(w)) = 0
    scale = max(1.0, np.abs(p * z).max() / step)
    assert pen.subdiff_distance(w, p * (w - z) / step) <= 1e-12 * scale


@given(group_problems())
def test_group_prox_diag_matches_brentq_root(problem):
    pen, z, p = problem
    w = pen.prox_diag(z, p)
    for g, idx in enumerate(pen.groups):
        tau = pen.thresholds[g]
        a = p[idx] * z[idx]
        if np.linalg.norm(a) <= tau:
            assert np.all(w[idx] == 0)
            continue
        phi = lambda th: np.sum((a / (p[idx] * th + tau)) ** 2) - 1  # noqa: E731
        theta = brentq(phi, 0.0, np.linalg.norm(a) / p[idx].min(), xtol=1e-15, rtol=1e-15)
        expected = a * theta / (p[idx] * theta + tau)
        np.testing.assert_allclose(w[idx], expected, rtol=1e-10, atol=1e-12)


@given(group_problems())
def test_euclidean_prox_is_unit_metric_case(problem):
    pen, z, _ = problem
    np.testing.assert_allclose(pen.prox(z, 0.7), pen.prox_diag(z, np.ones(z.size), 0.7),
                               rtol=1e-12, atol=1e-14)


def test_l1_equals_group_l1_with_singletons():
    rng = np.random.default_rng(0)
    z, p = rng.normal(size=7), rng.uniform(0.1, 3, size=7)
    l1, gl1 = L1(0.4), GroupL1(0.4, 1, d=7)
    np.testing.assert_allclose(l1.prox_diag(z, p, 1.5), gl1.prox_diag(z, p, 1.5), rtol=1e-13)
    assert l1.value(z) == pytest.approx(gl1.value(z), rel=1e-14)
    g = rng.normal(size=7)
    w = l1.prox(z)
    assert l1.subdiff_distance(w, g) == pytest.approx(gl1.subdiff_distance(w, g), rel=1e-12)


def test_l1_prox_soft_thresholds():
    np.testing.assert_array_equal(L1(1.0).prox(np.array([3.0, -0.5, -2.0]), 0.5),
                                  [2.5, 0.0, -1.5])


@pytest.mark.parametrize("groups, msg", [
    ([np.array([0, 1]), np.array([1, 2])], "partition"),
    ([np.array([0, 1])], "partition"),
    ([np.array([], dtype=int), np.arange(3)], "non-empty"),
    ([np.array([0.0, 1.0, 2.0])], "integer"),
    (2, "divide"),
])
def test_bad_groups_are_refused(groups, msg):
    with pytest.raises(ValueError, match=msg):
        Groups(groups, 3)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="lam"):
        L1(-1.0)
    with pytest.raises(ValueError, match="weights"):
        GroupL1(1.0, 2, d=4, weights=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="weights"):
        GroupL1(1.0, 2, d=4, weights="log")
    with pytest.raises(ValueError, match="p must be > 0"):
        L1(1.0).prox_diag(np.ones(3), np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="step"):
        GroupL1(1.0, 1, d=3).prox(np.ones(3), step=0.0)
    with pytest.raises(ValueError, match="length 4"):
        GroupL1(1.0, 2, d=4).prox(np.ones(3))
