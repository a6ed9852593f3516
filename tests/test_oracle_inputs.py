"""Awkward but valid designs: every solver certifies them (checked in long double here)."""

import numpy as np
import pytest

from sketchopt import oracles
from test_oracle_certificates import ld_relative_gap

KINDS = ("lasso", "group_lasso", "multitask_lasso", "l1_logistic", "group_l1_logistic")
_rng = np.random.default_rng(0)
_X, _y = _rng.normal(size=(20, 5)), _rng.normal(size=20)
DESIGNS = {
    "zero column": (np.c_[_X, np.zeros(20)], _y),
    "all-zero X": (np.zeros((20, 5)), _y),
    "duplicated columns": (np.c_[_X, _X[:, :2]], _y),
    "n = 1": (_X[:1], _y[:1]),
    "d = 1": (_X[:, :1], _y),
    "X * 1e-160": (1e-160 * _X, _y),
    "X * 1e160": (1e160 * _X, _y),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_awkward_designs_are_certified(kind, design):
    X, y = DESIGNS[design]
    if "logistic" in kind:
        y = np.where(y >= 0, 1.0, -1.0)
    elif kind == "multitask_lasso":
        y = np.c_[y, -2 * y]
    groups = 1 if "group" in kind else None       # singletons: any d works
    lmax = oracles.lam_max(X, y, kind, groups)
    lam = 0.1 * lmax if lmax > 0 else 1.0
    fn = getattr(oracles, kind)
    res = fn(X, y, lam, groups) if groups else fn(X, y, lam)
    assert res.certified and np.all(np.isfinite(res.x))
    # singleton groups: the group problems are the L1 ones
    assert ld_relative_gap(kind.replace("group_", ""), X, y, lam, res.x) <= res.tol
    if design == "all-zero X" or lmax == 0:
        assert res.support.size == 0
    if design == "duplicated columns" and {0, 5} <= set(res.support):
        assert not res.polished      # both copies on the support: not a unique solution
