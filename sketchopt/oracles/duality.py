"""Objectives, duality gaps, lam_max and KKT measures, in plain NumPy.

These formulas are deliberately independent of the solvers' kernels: an oracle's reported gap
is recomputed here from the returned ``x`` alone. Dual points are the standard rescaled ones:

* least squares, ``1/(2n)||y - Xw||^2 + psi(w)``: ``u = r / max(1, psi°(X'r/n))`` with
  ``r = y - Xw`` and dual objective ``D(u) = (y'u - ||u||^2/2)/n``;
* logistic, ``1/n sum log(1 + exp(-y_i x_i'w)) + psi(w)``: with ``s_i = sigmoid(-y_i x_i'w)``
  and ``c = min(1, 1/psi°(grad F))``, the dual value is ``1/n sum H(c s_i)``, ``H`` the binary
  entropy in nats (Fenchel conjugate of the logistic loss);

where ``psi°`` is the dual norm of the penalty scaled by ``lam`` (``max_g ||v_g|| / (lam c_g)``).
"""

import numpy as np
from scipy.special import entr, expit

from .._validation import as_float_array, check_scalar, check_vector
from ..penalties import Groups, group_weights


def _design(X, y, labels=False):
    X = as_float_array(X, "X", ndim=2)
    y = check_vector(y, "y", size=X.shape[0])
    if labels and not np.all(np.abs(y) == 1):
        raise ValueError("y must contain labels in {-1, +1}")
    return X, y


def penalty_structure(lam, groups, weights, d):
    """Validated ``(Groups, thresholds lam*c_g)``; ``groups=None`` means the L1 (singletons)."""
    lam = check_scalar(lam, "lam", low=0.0, low_open=True)
    grp = groups if isinstance(groups, Groups) else Groups(1 if groups is None else groups, d)
    return grp, lam * group_weights(grp, weights)


def _dual_norm(v, grp, thr):
    """``max_g ||v_g|| / thr_g`` (the penalty's dual norm, scaled so feasibility is <= 1)."""
    return float(np.max(grp.norms(v) / thr))


def _ls_gap(X, y, w, grp, thr, with_grad=False):
    n = y.shape[0]
    r = y - X @ w
    pen = float(thr @ grp.norms(w))
    primal = 0.5 * float(r.ravel() @ r.ravel()) / n + pen
    corr = X.T @ r / n                             # = -gradient of the datafit
    u = r / max(1.0, _dual_norm(corr, grp, thr))
    dual = (float(y.ravel() @ u.ravel()) - 0.5 * float(u.ravel() @ u.ravel())) / n
    return (primal, primal - dual, -corr) if with_grad else (primal, primal - dual)


def _logistic_gap(X, y, w, grp, thr, with_grad=False):
    n = y.size
    margins = y * (X @ w)
    s = expit(-margins)                            # sigmoid(-y_i x_i'w)
    primal = float(np.mean(np.logaddexp(0.0, -margins))) + float(thr @ grp.norms(w))
    corr = X.T @ (y * s) / n                       # = -gradient of the datafit
    c = min(1.0, 1.0 / _dual_norm(corr, grp, thr))
    one_minus = expit(margins) + (1.0 - c) * s     # 1 - c*s without cancellation
    dual = float(np.mean(entr(c * s) + entr(one_minus)))
    return (primal, primal - dual, -corr) if with_grad else (primal, primal - dual)


def lasso_objective(X, y, lam, w):
    """``1/(2n)||y - Xw||^2 + lam ||w||_1``."""
    X, y = _design(X, y)
    return _ls_gap(X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[0]


def lasso_gap(X, y, lam, w):
    """Duality gap of the lasso at ``w`` (rescaled-residual dual point)."""
    X, y = _design(X, y)
    return _ls_gap(X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[1]


def group_lasso_objective(X, y, lam, groups, w, weights=None):
    """``1/(2n)||y - Xw||^2 + lam sum_g c_g ||w_g||``."""
    X, y = _design(X, y)
    return _ls_gap(X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[0]


def group_lasso_gap(X, y, lam, groups, w, weights=None):
    """Duality gap of the group lasso at ``w``."""
    X, y = _design(X, y)
    return _ls_gap(X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[1]


def l1_logistic_objective(X, y, lam, w):
    """``1/n sum log(1 + exp(-y_i x_i'w)) + lam ||w||_1``."""
    X, y = _design(X, y, labels=True)
    return _logistic_gap(X, y, check_vector(w, "w", X.shape[1]),
                         *penalty_structure(lam, None, None, X.shape[1]))[0]


def l1_logistic_gap(X, y, lam, w):
    """Duality gap of L1 logistic regression at ``w`` (entropy dual)."""
    X, y = _design(X, y, labels=True)
    return _logistic_gap(X, y, check_vector(w, "w", X.shape[1]),
                         *penalty_structure(lam, None, None, X.shape[1]))[1]


def group_l1_logistic_objective(X, y, lam, groups, w, weights=None):
    """``1/n sum log(1 + exp(-y_i x_i'w)) + lam sum_g c_g ||w_g||``."""
    X, y = _design(X, y, labels=True)
    return _logistic_gap(X, y, check_vector(w, "w", X.shape[1]),
                         *penalty_structure(lam, groups, weights, X.shape[1]))[0]


def group_l1_logistic_gap(X, y, lam, groups, w, weights=None):
    """Duality gap of group-L1 logistic regression at ``w``."""
    X, y = _design(X, y, labels=True)
    return _logistic_gap(X, y, check_vector(w, "w", X.shape[1]),
                         *penalty_structure(lam, groups, weights, X.shape[1]))[1]


def _multitask(X, Y, V=None):
    X = as_float_array(X, "X", ndim=2)
    Y = as_float_array(Y, "Y", ndim=2)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y must have {X.shape[0]} rows, got {Y.shape[0]}")
    if V is not None:
        V = as_float_array(V, "V", ndim=2)
        if V.shape != (X.shape[1], Y.shape[1]):
            raise ValueError(f"V must have shape {(X.shape[1], Y.shape[1])}, got {V.shape}")
    return X, Y, V


def multitask_lasso_objective(X, Y, lam, V):
    """``1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2`` over the rows ``V_j``."""
    X, Y, V = _multitask(X, Y, V)
    return _ls_gap(X, Y, V, *penalty_structure(lam, None, None, X.shape[1]))[0]


def multitask_lasso_gap(X, Y, lam, V):
    """Duality gap of the multi-task lasso at ``V`` (row-group dual norm)."""
    X, Y, V = _multitask(X, Y, V)
    return _ls_gap(X, Y, V, *penalty_structure(lam, None, None, X.shape[1]))[1]


def lam_max(X, y, kind="lasso", groups=None, weights=None):
    """Smallest ``lam`` for which the solution is zero.

    ``kind`` is ``"lasso"`` / ``"group_lasso"`` / ``"multitask_lasso"`` (gradient ``-X'y/n``
    at 0) or ``"l1_logistic"`` / ``"group_l1_logistic"`` (gradient ``-X'y/(2n)`` at 0).
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y")
    if kind not in ("lasso", "group_lasso", "multitask_lasso", "l1_logistic",
                    "group_l1_logistic"):
        raise ValueError(f"kind must name an oracle problem, got {kind!r}")
    grad0 = X.T @ y / X.shape[0] * (0.5 if "logistic" in kind else 1.0)
    grp = Groups(1 if groups is None else groups, X.shape[1])
    return _dual_norm(grad0, grp, group_weights(grp, weights))


def kkt_measures(grad, w, grp, thr):
    """``(violation, margin)`` of ``0 in grad + d psi(w)`` for ``psi = sum_g thr_g ||w_g||``.

    ``violation = max_g dist(-grad_g, thr_g d||w_g||)`` (absolute) and
    ``margin = min_{g: w_g = 0} (thr_g - ||grad_g||)`` (``inf`` if no group is zero).
    Works on vectors and on matrices whose rows are grouped.
    """
    nw = grp.norms(w)
    on = nw > 0
    scale = grp.expand(np.where(on, thr / np.where(on, nw, 1.0), 0.0))
    resid = grad + (scale[:, None] * w if w.ndim > 1 else scale * w)
    ng = grp.norms(grad)
    dist = np.where(on, grp.norms(resid), np.maximum(ng - thr, 0.0))
    margin = float(np.min(thr[~on] - ng[~on])) if np.any(~on) else float("inf")
    return float(dist.max()), margin
