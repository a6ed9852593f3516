import numpy as np
import pytest
from scipy import stats as st

from sketchopt import stats


def test_bonferroni_z_values():
    assert stats.bonferroni_z(1) == pytest.approx(st.norm.ppf(1 - 0.0005))
    assert stats.bonferroni_z(1) == pytest.approx(3.2905, abs=1e-4)
    assert stats.bonferroni_z(2500) > stats.bonferroni_z(10)
    with pytest.raises(ValueError):
        stats.bonferroni_z(0)


def test_mc_upper_and_equal_rules():
    rng = np.random.default_rng(0)
    x = rng.normal(1.0, 1.0, size=10000)
    assert stats.mc_upper(x, 1.0).passed
    assert not stats.mc_upper(x, 0.9).passed
    assert stats.mc_equal(x, 1.0).passed
    assert not stats.mc_equal(x, 1.1).passed
    res = stats.mc_equal(x, 1.0)
    assert res.margin == pytest.approx(res.z * res.se + 1e-12 - abs(res.mean - 1.0))


def test_entrywise_rules_use_bonferroni_over_entries():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5000, 50))
    res = stats.mc_equal(x, np.zeros(50))
    assert res.z == pytest.approx(stats.bonferroni_z(50))
    assert res.passed


def test_worst_entry_is_the_one_reported():
    from theory_checks._framework import from_mc
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4000, 4))
    x[:, 2] += 5.0                                   # only entry 2 violates E[X] <= 0
    res = stats.mc_upper(x, np.zeros(4))
    assert not res.passed and res.worst == 2
    out = from_mc(res, "upper")
    assert out.verdict == "FAIL" and out.measured == pytest.approx(res.mean[2])
    assert out.bound == 0.0 and out.details["se"] == res.se[2]
    eq = stats.mc_equal_from_moments(res.mean, res.se, [0.0, 0.0, 5.0, 0.0])
    assert eq.passed and eq.worst != 2 and np.all(eq.target == [0.0, 0.0, 5.0, 0.0])


def test_derive_seeds_reproducible_and_distinct():
    a, b = stats.derive_seeds(3, 10), stats.derive_seeds(3, 10)
    assert a == b and len(set(a)) == 10


def test_slope_and_rate_fits():
    m = np.logspace(2, 5, 10)
    fit = stats.loglog_slope(m, 3 * m ** -0.5)
    assert fit.slope == pytest.approx(-0.5)
    t = np.arange(30)
    rho, _ = stats.linear_rate(t, 2 * 0.9 ** t)
    assert rho == pytest.approx(0.9)
    with pytest.raises(ValueError):
        stats.loglog_slope([1, 2], [0, 1])


def test_bootstrap_ci_covers_mean():
    x = np.random.default_rng(2).normal(5, 1, 400)
    lo, hi = stats.bootstrap_ci(x, level=0.99, seed=0)
    assert lo < 5 < hi and hi - lo < 0.5
