"""Assertions for other projects' tests: is a given point optimal for a sparse problem?

Each helper recomputes the duality gap (relative to ``max(1, |objective|)``) and the KKT
violation (relative to the penalty level) of the caller's point and raises ``AssertionError``
with both numbers when either exceeds ``rtol``.
"""

import numpy as np

from ..oracles import duality


def _check(name, objective, gap, viol, scale, rtol):
    rel_gap = gap / max(1.0, abs(objective))
    rel_kkt = viol / scale
    if not (rel_gap <= rtol and rel_kkt <= rtol):
        raise AssertionError(f"{name}: point is not optimal to rtol={rtol:g}: relative gap "
                             f"{rel_gap:.3e}, relative KKT violation {rel_kkt:.3e}")


def _assert(name, X, y, lam, w, groups, weights, logistic, rtol):
    X, y = duality._design(X, y, labels=logistic)
    w = np.asarray(w, dtype=np.float64)
    grp, thr = duality.penalty_structure(lam, groups, weights, X.shape[1])
    gap_fn = duality._logistic_gap if logistic else duality._ls_gap
    objective, gap = gap_fn(X, y, w, grp, thr)
    z = X @ w
    if logistic:
        grad = -X.T @ (y / (1.0 + np.exp(np.clip(y * z, -700, 700)))) / X.shape[0]
    else:
        grad = X.T @ (z - y) / X.shape[0]
    viol, _ = duality.kkt_measures(grad, w, grp, thr)
    _check(name, objective, gap, viol, thr.max(), rtol)


def assert_lasso_optimal(X, y, lam, w, rtol=1e-9):
    """Assert ``w`` solves ``min 1/(2n)||y - Xw||^2 + lam||w||_1`` to ``rtol``."""
    _assert("lasso", X, y, lam, w, None, None, False, rtol)


def assert_group_lasso_optimal(X, y, lam, groups, w, weights=None, rtol=1e-9):
    """Assert ``w`` solves the (weighted) group lasso to ``rtol``."""
    _assert("group lasso", X, y, lam, w, groups, weights, False, rtol)


def assert_l1_logistic_optimal(X, y, lam, w, rtol=1e-9):
    """Assert ``w`` solves L1 logistic regression (labels in {-1, +1}) to ``rtol``."""
    _assert("L1 logistic", X, y, lam, w, None, None, True, rtol)


def assert_group_l1_logistic_optimal(X, y, lam, groups, w, weights=None, rtol=1e-9):
    """Assert ``w`` solves (weighted) group-L1 logistic regression to ``rtol``."""
    _assert("group L1 logistic", X, y, lam, w, groups, weights, True, rtol)


def assert_certified(result):
    """Assert an :class:`~sketchopt.oracles.OracleResult` meets its own relative tolerance."""
    if not result.gap <= result.tol * max(1.0, abs(result.objective)):
        raise AssertionError(f"gap {result.gap:.3e} exceeds tol {result.tol:g} "
                             f"* max(1, |objective| = {abs(result.objective):.3g})")
