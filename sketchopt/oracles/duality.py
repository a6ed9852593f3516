"""Objectives, duality gaps, certificates, lam_max and KKT measures, in plain NumPy.

These formulas are deliberately independent of the solvers' kernels: an oracle's reported gap
is recomputed here from the returned ``x`` alone. Dual points are the standard rescaled ones:

* least squares, ``1/(2n)||y - Xw||^2 + psi(w)``: ``u = r / max(1, psi°(X'r/n))`` with
  ``r = y - Xw`` and dual objective ``D(u) = (y'u - ||u||^2/2)/n``;
* logistic, ``1/n sum log(1 + exp(-y_i x_i'w)) + psi(w)``: with ``s_i = sigmoid(-y_i x_i'w)``
  and ``c = min(1, 1/psi°(grad F))``, the dual value is ``1/n sum H(c s_i)``, ``H`` the binary
  entropy in nats (Fenchel conjugate of the logistic loss);

where ``psi°`` is the dual norm of the penalty scaled by ``lam`` (``max_g ||v_g|| / (lam c_g)``).

**Certificate rule.** A point is certified to ``tol`` when its gap is at most ``tol`` times the
objective at ``w = 0`` (``null_objective``: ``||y||^2/(2n)`` for least squares,
``||Y||_F^2/(2n)`` for the multi-task lasso, ``log 2`` for logistic). That quantity bounds the
optimum from above and scales with the data, so the rule means the same at every scale.

**Scale.** Every formula here first divides ``X`` and ``y`` by the powers of two nearest their
largest entries (exact in binary floating point) and the penalty by the matching factor, then
scales the results back. So norms, gaps and ``lam_max`` stay finite wherever the quantity itself
is representable, and the relative gap is computed without overflow at any scale.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

import scipy.sparse as sp

from .._validation import as_design, as_float_array, check_scalar, check_vector
from ..penalties import Groups, group_weights

#: Smallest relative tolerance a certificate can mean in float64 (4 machine epsilons).
TOL_MIN = 4 * np.finfo(np.float64).eps
#: Below this ``tol`` the final certificate is evaluated in extended precision
#: (``np.longdouble``), since the float64 gap formula itself carries errors of this order.
EXTENDED_BELOW = 1e-11
_KINDS = ("lasso", "group_lasso", "multitask_lasso", "l1_logistic", "group_l1_logistic")


def _design(X, y, labels=False):
    X = as_design(X, "X")
    y = check_vector(y, "y", size=X.shape[0])
    if labels and not np.all(np.abs(y) == 1):
        raise ValueError("y must contain labels in {-1, +1}")
    return X, y


def penalty_structure(lam, groups, weights, d):
    """Validated ``(Groups, thresholds lam*c_g)``; ``groups=None`` means the L1 (singletons)."""
    lam = check_scalar(lam, "lam", low=0.0, low_open=True)
    grp = groups if isinstance(groups, Groups) else Groups(1 if groups is None else groups, d)
    return grp, lam * group_weights(grp, weights)


def power_of_two_scale(v):
    """The power of two ``2^e`` with ``max|v| / 2^e`` in ``[1, 2)`` (1.0 for a zero array).

    Dividing by it is exact in binary floating point (barring subnormals), so a problem
    rescaled by it is the same problem.
    """
    if sp.issparse(v):
        v = v.data
    m = float(np.max(np.abs(v))) if np.size(v) else 0.0
    if m == 0.0:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(m)[1]) - 1))


@dataclass(frozen=True)
class Scaling:
    """Powers of two by which ``X`` (``sx``) and ``y`` (``sy``) are divided internally.

    With ``X~ = X/sx`` and ``y~ = y/sy`` the least-squares problem at ``lam`` is the rescaled
    problem at ``lam/(sx sy)``, with ``w = w~ sy/sx`` and objective ``sy^2`` times the rescaled
    one; for logistic losses ``sy = 1`` (labels are not scaled).
    """

    sx: float = 1.0
    sy: float = 1.0

    @classmethod
    def of(cls, X, y, datafit):
        return cls(power_of_two_scale(X), power_of_two_scale(y) if datafit == "ls" else 1.0)

    @property
    def value(self):
        """Factor of objective values and gaps: rescaled -> original."""
        return self.sy * self.sy

    def data(self, X, y):
        """``(X / sx, y / sy)``, ``X`` Fortran-ordered (columns contiguous, as the kernels and
        every gap evaluation take it, so all of them round identically); a sparse ``X`` stays
        CSC."""
        if sp.issparse(X):
            return (X / self.sx).tocsc(), y / self.sy
        Xs = np.empty(X.shape, order="F")
        np.divide(X, self.sx, out=Xs)
        return Xs, y / self.sy

    def thresholds(self, thr, lam=None):
        """Rescaled penalty levels; ValueError when they leave float64's normal range."""
        with np.errstate(over="ignore", under="ignore"):   # detected just below
            t = thr / self.sx / self.sy
        tiny, huge = np.finfo(np.float64).tiny, np.finfo(np.float64).max
        if not (np.all(np.isfinite(t)) and np.all(t >= tiny) and np.all(t <= huge)):
            lam_txt = f"lam={lam:.3g}" if lam is not None else "the penalty"
            ratio = np.log10(np.max(thr)) - np.log10(self.sx) - np.log10(self.sy)
            raise ValueError(
                f"{lam_txt} is 1e{ratio:.0f} times the scale of the data "
                f"(max|X| ~ {self.sx:.3g}, max|y| ~ {self.sy:.3g}); that ratio is beyond what "
                "float64 represents, rescale lam or the data")
        return t

    def to_weights(self, w_scaled):
        return w_scaled * self.sy / self.sx

    def from_weights(self, w):
        return w * self.sx / self.sy


def _dual_norm(v, grp, thr, positive=False):
    """``max_g ||v_g|| / thr_g`` (the penalty's dual norm, scaled so feasibility is <= 1);
    with ``positive`` (``w >= 0``, singletons) only ``v_j > 0`` counts: ``max_j (v_j)_+/thr_j``."""
    return float(np.max(grp.norms(_one_sided(v, positive)) / thr))


def _entropy(p):
    """``-p log p`` with ``0 log 0 = 0``, in the dtype of ``p`` (float64 or longdouble)."""
    safe = np.where(p > 0, p, 1)
    return np.where(p > 0, -p * np.log(safe), 0)


def _infeasible(w, positive):
    """``w`` violates ``w >= 0`` where ``positive`` (a bool, or a bool mask over coordinates)."""
    if not np.any(positive):
        return False
    return bool(np.any(np.where(positive, w, 0) < 0))


def _one_sided(v, positive):
    """``v`` with only its positive part kept where ``positive`` (bool or mask)."""
    return np.where(positive, np.maximum(v, 0), v) if np.any(positive) else v


def _ls_gap(X, y, w, grp, thr, with_grad=False, positive=False):
    n = y.shape[0]
    r = y - X @ w
    pen = np.inf if _infeasible(w, positive) else thr @ grp.norms(w)
    primal = 0.5 * (r.ravel() @ r.ravel()) / n + pen
    corr = X.T @ r / n                             # = -gradient of the datafit
    u = r / max(1.0, _dual_norm(corr, grp, thr, positive))
    dual = ((y.ravel() @ u.ravel()) - 0.5 * (u.ravel() @ u.ravel())) / n
    return (primal, primal - dual, -corr) if with_grad else (primal, primal - dual)


def _logistic_gap(X, y, w, grp, thr, with_grad=False, positive=False):
    n = y.size
    margins = y * (X @ w)
    s = expit(-margins)                            # sigmoid(-y_i x_i'w)
    pen = np.inf if _infeasible(w, positive) else thr @ grp.norms(w)
    primal = np.mean(np.logaddexp(0.0, -margins)) + pen
    corr = X.T @ (y * s) / n                       # = -gradient of the datafit
    dn = _dual_norm(corr, grp, thr, positive)
    c = 1.0 if dn <= 1.0 else 1.0 / dn           # also for X = 0 (dual norm 0)
    one_minus = expit(margins) + (1.0 - c) * s     # 1 - c*s without cancellation
    dual = np.mean(_entropy(c * s) + _entropy(one_minus))
    return (primal, primal - dual, -corr) if with_grad else (primal, primal - dual)


def _null_objective(datafit, y):
    """The objective at ``w = 0``: ``||y||^2/(2n)`` (least squares) or ``log 2``."""
    if datafit == "ls":
        return 0.5 * float(y.ravel() @ y.ravel()) / y.shape[0]
    return float(np.log(2.0))


@dataclass(frozen=True)
class Certificate:
    """What a point is worth, recomputed from the data.

    Attributes
    ----------
    objective : float
        Primal objective at the point.
    gap : float
        Duality gap at the point (raw: may be a rounding-level negative number).
    null_objective : float
        Objective at ``w = 0``; the certificate's scale.
    relative_gap : float
        ``max(gap, 0) / null_objective`` (computed on the rescaled problem, so finite even
        when ``gap`` and ``null_objective`` overflow); 0 when both are 0.
    kkt_violation : float
        ``max_g dist(-grad_g, thr_g d||x_g||) / max_g thr_g``.
    margin : float
        ``min_{g: x_g = 0} (thr_g - ||grad_g||)`` in the problem's units; ``inf`` without
        zero groups.
    lipschitz_bound : float
        Upper bound ``L`` on the Lipschitz constant of the datafit gradient, used by
        :meth:`implies_kkt`.
    penalty_scale : float
        ``max_g thr_g`` (the penalty level the violations are measured against).
    """

    objective: float
    gap: float
    null_objective: float
    relative_gap: float
    kkt_violation: float
    margin: float
    lipschitz_bound: float = np.nan
    penalty_scale: float = 0.0

    def implies_kkt(self, tol):
        """Whether the off-support KKT violation is within what a relative gap ``tol`` allows.

        One proximal-gradient step with step ``1/L`` from ``x`` decreases the objective by at
        least ``L/2 ||step||^2``, and off the support ``||step_g|| = (||grad_g|| - thr_g)_+/L``;
        so ``(||grad_g|| - thr_g)_+ <= sqrt(2 L (P(x) - P*)) <= sqrt(2 L tol null)``.
        """
        if not self.margin < 0:
            return True
        allowed = np.sqrt(2.0 * self.lipschitz_bound * tol * self.null_objective)
        return -self.margin <= allowed * (1 + 1e-6) + 1e-13 * self.penalty_scale


def scaled_certificate(datafit, X, y, w, grp, thr, extended=False, positive=False):
    """:class:`Certificate` of ``w`` on data that is already rescaled (max entries ~ 1).

    ``extended=True`` evaluates every formula in ``np.longdouble``. The Lipschitz bound of the
    datafit gradient is ``||X||_F^2/n`` (least squares) or ``||X||_F^2/(4n)`` (logistic).
    """
    dtype = np.longdouble if extended else np.float64
    if sp.issparse(X):
        if extended:
            raise ValueError("an extended-precision certificate (tol < 1e-11) needs a dense X; "
                             "pass X.toarray() or tol >= 1e-11")
        Xe = X
    else:
        Xe = np.asarray(X, dtype=dtype)
    ye, we = (np.asarray(a, dtype=dtype) for a in (y, w))
    fn = _ls_gap if datafit == "ls" else _logistic_gap
    objective, gap, grad = fn(Xe, ye, we, grp, thr, with_grad=True, positive=positive)
    viol, margin = kkt_measures(grad, we, grp, thr, positive)
    null = _null_objective(datafit, ye)
    n = X.shape[0]
    lip = frobenius2(X) / n * (1.0 if datafit == "ls" else 0.25)
    objective, gap = float(objective), float(gap)
    rel = max(gap, 0.0) / null if null > 0 else (0.0 if gap <= 0 else np.inf)
    return Certificate(objective=objective, gap=gap, null_objective=null, relative_gap=rel,
                       kkt_violation=float(viol) / float(np.max(thr)), margin=float(margin),
                       lipschitz_bound=lip, penalty_scale=float(np.max(thr)))


def frobenius2(X):
    """``||X||_F^2`` for a dense or sparse ``X``."""
    if sp.issparse(X):
        return float(X.data @ X.data)
    return float(np.einsum("ij,ij->", X, X))


def row_norms2(X):
    """``||x_i||^2`` per row, dense or sparse."""
    if sp.issparse(X):
        return np.asarray(X.multiply(X).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", X, X)


def _unscaled(cert, scaling):
    """The certificate in the original problem's units (relative quantities unchanged)."""
    f = scaling.value
    return Certificate(objective=cert.objective * f, gap=cert.gap * f,
                       null_objective=cert.null_objective * f,
                       relative_gap=cert.relative_gap, kkt_violation=cert.kkt_violation,
                       margin=cert.margin * scaling.sx * scaling.sy,
                       lipschitz_bound=cert.lipschitz_bound * scaling.sx ** 2,
                       penalty_scale=cert.penalty_scale * scaling.sx * scaling.sy)


def _evaluate(datafit, X, y, w, grp, thr, extended=False, positive=False):
    """Certificate of ``w`` on the original data, computed on the power-of-two rescaling."""
    scaling = Scaling.of(X, y, datafit)
    Xs, ys = scaling.data(X, y)
    thr_s = thr / scaling.sx / scaling.sy
    ws = scaling.from_weights(w)
    return _unscaled(scaled_certificate(datafit, Xs, ys, ws, grp, thr_s, extended, positive),
                     scaling)


def certificate(X, y, lam, w, kind="lasso", groups=None, weights=None, extended=False, *,
                intercept=0.0, fit_intercept=False, sample_weight=None, l2=0.0,
                feature_weights=None, positive=False):
    """Recompute the certificate of a point ``w`` (and intercept) from the data alone.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,), or (n, T) for ``kind="multitask_lasso"``
        Responses, or labels in {-1, +1} for the logistic kinds.
    lam : float
        Penalty level, > 0.
    w : ndarray, shape (d,), or (d, T) for the multi-task lasso
    kind : str
        ``"lasso"``, ``"group_lasso"``, ``"multitask_lasso"``, ``"l1_logistic"`` or
        ``"group_l1_logistic"``.
    groups, weights
        As in :func:`sketchopt.oracles.group_lasso` (ignored by the L1 kinds).
    extended : bool
        Evaluate in ``np.longdouble`` (plain problems; with options the formula of
        :func:`ls_options_certificate` runs in float64 on rescaled data).
    intercept, fit_intercept, sample_weight, l2, feature_weights
        The least-squares options of :func:`sketchopt.oracles.lasso`; ``intercept`` is the
        point's ``b`` (ignored unless ``fit_intercept``).
    positive : bool
        The constraint ``w >= 0`` (``"lasso"`` and ``"l1_logistic"``).

    Returns
    -------
    Certificate
        ``relative_gap <= tol`` is the oracles' certificate rule.
    """
    kind = _check_kind(kind)
    datafit = "logistic" if "logistic" in kind else "ls"
    positive = _check_positive(positive, kind)
    from . import options
    if options.uses_options(fit_intercept, sample_weight, l2, feature_weights,
                            weights if "group" in kind else None) or \
            (datafit == "ls" and _is_zero(lam)):
        if datafit == "logistic":
            return options.logistic_certificate(
                kind, X, y, lam, w, intercept if fit_intercept else 0.0, groups, weights,
                fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2,
                feature_weights=feature_weights, positive=positive)
        if kind == "multitask_lasso":
            X, y, w = _multitask(X, y, w)
        else:
            X, y = _design(X, y)
            w = check_vector(w, "w", X.shape[1])
        fit_intercept, sample_weight, l2 = options.check_options(X.shape[0], fit_intercept,
                                                                 sample_weight, l2)
        grp, c = options.penalty_weights("group_lasso" if kind == "group_lasso" else "lasso",
                                         X.shape[1], groups, weights, feature_weights)
        b = np.asarray(intercept, dtype=np.float64) if fit_intercept else 0.0
        if np.shape(b) not in ((), y.shape[1:]):
            raise ValueError(f"intercept must have shape {y.shape[1:]}, got {np.shape(b)}")
        lam = check_scalar(lam, "lam", low=0.0)
        if lam == 0:
            c = np.zeros_like(c)
        return ls_options_certificate(X, y, lam, w, b, grp, c, sample_weight, l2, fit_intercept,
                                      positive)
    if kind == "multitask_lasso":
        X, y, w = _multitask(X, y, w)
    else:
        X, y = _design(X, y, labels=datafit == "logistic")
        w = check_vector(w, "w", X.shape[1])
    if "group" not in kind:
        groups, weights = None, None
    grp, thr = penalty_structure(lam, groups, weights, X.shape[1])
    return _evaluate(datafit, X, y, w, grp, thr, extended, positive)


def _is_zero(lam):
    """``lam == 0`` for a real number (anything else is left to the usual validation)."""
    return isinstance(lam, (int, float, np.number)) and not isinstance(lam, bool) and lam == 0


def _check_positive(positive, kind):
    if not isinstance(positive, (bool, np.bool_)):
        raise ValueError(f"positive must be True or False, got {positive!r}")
    if positive and kind not in ("lasso", "l1_logistic"):
        raise ValueError(f"positive=True is available for lasso and l1_logistic, not {kind}")
    return bool(positive)


def _check_kind(kind):
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {', '.join(_KINDS)}; got {kind!r}")
    return kind


def _gap_of(datafit, X, y, w, grp, thr):
    cert = _evaluate(datafit, X, y, w, grp, thr)
    return cert.objective, cert.gap


def lasso_objective(X, y, lam, w):
    """``1/(2n)||y - Xw||^2 + lam ||w||_1``."""
    X, y = _design(X, y)
    return _gap_of("ls", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[0]


def lasso_gap(X, y, lam, w):
    """Duality gap of the lasso at ``w`` (rescaled-residual dual point)."""
    X, y = _design(X, y)
    return _gap_of("ls", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[1]


def group_lasso_objective(X, y, lam, groups, w, weights=None):
    """``1/(2n)||y - Xw||^2 + lam sum_g c_g ||w_g||``."""
    X, y = _design(X, y)
    return _gap_of("ls", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[0]


def group_lasso_gap(X, y, lam, groups, w, weights=None):
    """Duality gap of the group lasso at ``w``."""
    X, y = _design(X, y)
    return _gap_of("ls", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[1]


def l1_logistic_objective(X, y, lam, w):
    """``1/n sum log(1 + exp(-y_i x_i'w)) + lam ||w||_1``."""
    X, y = _design(X, y, labels=True)
    return _gap_of("logistic", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[0]


def l1_logistic_gap(X, y, lam, w):
    """Duality gap of L1 logistic regression at ``w`` (entropy dual)."""
    X, y = _design(X, y, labels=True)
    return _gap_of("logistic", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, None, None, X.shape[1]))[1]


def group_l1_logistic_objective(X, y, lam, groups, w, weights=None):
    """``1/n sum log(1 + exp(-y_i x_i'w)) + lam sum_g c_g ||w_g||``."""
    X, y = _design(X, y, labels=True)
    return _gap_of("logistic", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[0]


def group_l1_logistic_gap(X, y, lam, groups, w, weights=None):
    """Duality gap of group-L1 logistic regression at ``w``."""
    X, y = _design(X, y, labels=True)
    return _gap_of("logistic", X, y, check_vector(w, "w", X.shape[1]),
                   *penalty_structure(lam, groups, weights, X.shape[1]))[1]


def _multitask(X, Y, V=None):
    X = as_design(X, "X")
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
    return _gap_of("ls", X, Y, V, *penalty_structure(lam, None, None, X.shape[1]))[0]


def multitask_lasso_gap(X, Y, lam, V):
    """Duality gap of the multi-task lasso at ``V`` (row-group dual norm)."""
    X, Y, V = _multitask(X, Y, V)
    return _gap_of("ls", X, Y, V, *penalty_structure(lam, None, None, X.shape[1]))[1]


def lam_max(X, y, kind="lasso", groups=None, weights=None, *, fit_intercept=False,
            sample_weight=None, l2=0.0, feature_weights=None, positive=False):
    """Smallest ``lam`` for which the solution is zero (every penalized coefficient).

    The least-squares kinds take the options of :func:`sketchopt.oracles.lasso`
    (``fit_intercept``, ``sample_weight``, ``l2``, ``feature_weights`` for the lasso, zero
    group ``weights`` for the group lasso); the zero solution is then that of the penalized
    coefficients, the unpenalized ones fitted. With ``positive`` only positive correlations
    count (``max_j (x_j'y)_+ / (n c_j)``; 0 when none is positive).

    ``kind`` is ``"lasso"`` / ``"group_lasso"`` / ``"multitask_lasso"`` (gradient ``-X'y/n``
    at 0) or ``"l1_logistic"`` / ``"group_l1_logistic"`` (gradient ``-X'y/(2n)`` at 0).
    ``y`` is validated as the solver of that kind would (length, labels, ``(n, T)`` for the
    multi-task lasso). Computed on the power-of-two rescaled data, so it is finite and exact
    to rounding wherever the value itself is representable.
    """
    kind = _check_kind(kind)
    positive = _check_positive(positive, kind)
    from . import options
    if options.uses_options(fit_intercept, sample_weight, l2, feature_weights,
                            weights if "group" in kind else None):
        if "logistic" in kind:
            return options.logistic_lam_max(kind, X, y, groups, weights,
                                            fit_intercept=fit_intercept,
                                            sample_weight=sample_weight, l2=l2,
                                            feature_weights=feature_weights, positive=positive)
        return options.lam_max(kind, X, y, groups, weights, fit_intercept=fit_intercept,
                               sample_weight=sample_weight, l2=l2,
                               feature_weights=feature_weights, positive=positive)
    if kind == "multitask_lasso":
        X, y, _ = _multitask(X, y)
    else:
        X, y = _design(X, y, labels="logistic" in kind)
    if "group" not in kind:
        groups, weights = None, None
    scaling = Scaling.of(X, y, "ls")
    Xs, ys = scaling.data(X, y)
    grad0 = Xs.T @ ys / X.shape[0] * (0.5 if "logistic" in kind else 1.0)
    grp = groups if isinstance(groups, Groups) else Groups(1 if groups is None else groups,
                                                            X.shape[1])
    return _dual_norm(grad0, grp, group_weights(grp, weights), positive) * scaling.sx * \
        scaling.sy


def kkt_measures(grad, w, grp, thr, positive=False):
    """``(violation, margin)`` of ``0 in grad + d psi(w)`` for ``psi = sum_g thr_g ||w_g||``.

    ``violation = max_g dist(-grad_g, thr_g d||w_g||)`` (absolute) and
    ``margin = min_{g: w_g = 0} (thr_g - ||grad_g||)`` (``inf`` if no group is zero).
    Works on vectors and on matrices whose rows are grouped. With ``positive`` (``w >= 0``,
    singletons) the subdifferential of a zero coordinate is ``(-inf, thr_j]``, so only
    ``-grad_j > thr_j`` violates it, and a negative coordinate is an infinite violation.
    """
    if _infeasible(w, positive):
        return float("inf"), float("-inf")
    dist, on, ng = group_violations(grad, w, grp, thr, positive)
    margin = float(np.min(thr[~on] - ng[~on])) if np.any(~on) else float("inf")
    return float(dist.max()), margin


def group_violations(grad, w, grp, thr, positive=False):
    """Per group: ``dist(-grad_g, thr_g d||w_g||)``, whether ``w_g != 0``, and ``||grad_g||``.

    The subgradient on the support is ``thr_g w_g/||w_g||``, formed as ``w_g/||w_g||`` first
    so that tiny groups cannot overflow ``thr_g/||w_g||``.
    """
    nw = grp.norms(w)
    on = nw > 0
    thr_e = grp.expand(np.where(on, thr, 0.0))
    with np.errstate(over="ignore"):   # 1/||w_g|| may overflow: then w_g/||w_g|| is recomputed
        inv = grp.expand(np.where(on, 1.0 / np.where(on, nw, 1.0), 0.0))
        unit = (inv[:, None] * w if w.ndim > 1 else inv * w)
    if not np.all(np.isfinite(unit)):
        big = grp.expand(np.where(on, nw, 1.0))
        unit = w / (big[:, None] if w.ndim > 1 else big)
    resid = grad + (thr_e[:, None] * unit if w.ndim > 1 else thr_e * unit)
    ng = grp.norms(-_one_sided(-grad, positive))
    return np.where(on, grp.norms(resid), np.maximum(ng - thr, 0.0)), on, ng


def ls_options_certificate(X, Y, lam, w, b, grp, c, sample_weight=None, l2=0.0,
                           fit_intercept=False, positive=False):
    """:class:`Certificate` of ``(w, b)`` for least squares with options, from the data alone.

    ``P(w, b) = 1/2 sum_i p_i ||y_i - x_i'w - b||^2 + lam sum_g c_g ||w_g|| + l2/2 ||w||^2``
    with ``p = sample_weight / sum(sample_weight)`` (uniform by default) and ``c_g >= 0``
    (``c_g = 0``: unpenalized). The dual point is the residual made feasible: projected so
    that ``sum_i p_i u_i = 0`` (intercept) and, when ``l2 = 0``, ``X_U' diag(p) u = 0`` for the
    unpenalized columns ``U``, then rescaled into ``||X_g' diag(p) u|| <= lam c_g`` (``l2 = 0``)
    or paired with the conjugate ``sum_g (||z_g|| - lam c_g)_+^2 / (2 l2)`` (``l2 > 0``);
    ``D(u) = sum_i p_i (y_i'u_i - ||u_i||^2/2) - h*(X' diag(p) u)``. ``Y``, ``w``, ``b`` may
    be 2-D / 1-D per task (multi-task lasso with row groups). ``positive`` (singletons): the
    constraint ``w >= 0``, whose conjugate counts only ``z_j > 0``. The scale is the objective
    at ``w = 0`` with the best intercept. Computed on the power-of-two rescaled data.
    """
    scaling = Scaling.of(X, Y, "ls")
    Xs, Ys = scaling.data(X, Y)
    sx, sy = scaling.sx, scaling.sy
    ws, bs = w * (sx / sy), np.asarray(b, dtype=np.float64) / sy
    lam_s, l2_s = lam / (sx * sy), l2 / (sx * sx)
    n = Xs.shape[0]
    p = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / np.sum(sample_weight)
    pc = p[:, None] if Ys.ndim > 1 else p
    thr = lam_s * c
    pen = thr > 0
    R = Ys - Xs @ ws - bs
    primal = 0.5 * np.sum(pc * R * R) + thr @ grp.norms(ws) + 0.5 * l2_s * np.sum(ws * ws)
    if _infeasible(ws, positive):
        primal = np.inf
    unpen_cols = np.concatenate([g for g, on in zip(grp, pen) if not on] or [np.array([], int)])
    A = [Xs[:, unpen_cols]] if (l2 == 0 and unpen_cols.size) else []
    if fit_intercept:
        A.append(np.ones((n, 1)))
    U = R
    if A:                                          # weighted projection onto A's complement
        A = np.hstack(A)
        sq = np.sqrt(p)
        coef = np.linalg.lstsq(sq[:, None] * A, (sq[:, None] if R.ndim > 1 else sq) * R,
                               rcond=None)[0]
        U = R - A @ coef
    Z = Xs.T @ (pc * U)                             # = minus the dual's correlations
    gn = grp.norms(_one_sided(Z, positive))
    if l2 == 0:
        scale = max(1.0, float(np.max(gn[pen] / thr[pen]))) if np.any(pen) else 1.0
        U, conj = U / scale, 0.0
    else:
        conj = np.sum(np.maximum(gn - thr, 0.0) ** 2) / (2 * l2_s)
    dual = np.sum(pc * (Ys * U - 0.5 * U * U)) - conj
    Yc = Ys - (np.sum(pc * Ys, axis=0) if fit_intercept else 0.0)
    null = 0.5 * float(np.sum(pc * Yc * Yc))
    grad = -Xs.T @ (pc * R) + l2_s * ws              # gradient of the smooth part in w
    dist, on, ng = group_violations(grad, ws, grp, thr, positive)
    if _infeasible(ws, positive):
        dist = np.full_like(dist, np.inf)
    off = ~on & pen
    margin = float(np.min(thr[off] - ng[off])) if np.any(off) else float("inf")
    gap = float(primal - dual)
    rel = max(gap, 0.0) / null if null > 0 else (0.0 if gap <= 0 else np.inf)
    lip = float(np.sum(p * row_norms2(Xs))) + l2_s + (1.0 if fit_intercept else 0)
    top = float(np.max(thr)) or 1.0              # lam = 0: violations are absolute
    cert = Certificate(objective=float(primal), gap=gap, null_objective=null, relative_gap=rel,
                       kkt_violation=float(dist.max()) / top, margin=margin,
                       lipschitz_bound=lip, penalty_scale=top)
    return _unscaled(cert, scaling)


# ------------------------------------------------------------------- logistic with options

def logistic_null(y, p, fit_intercept):
    """Objective at ``w = 0`` (with the best intercept if fitted): the weighted label entropy
    ``-q log q - (1-q) log(1-q)``, ``q = sum_{y_i = 1} p_i``; ``log 2`` without intercept."""
    if not fit_intercept:
        return float(np.log(2.0))
    q = float(np.sum(p[y > 0]))
    return float(_entropy(np.array(q)) + _entropy(np.array(1.0 - q)))


def refit_free(X, y, w, free, p, l2=None, max_newton=60):
    """``w`` with the coordinates ``free`` (unpenalized) set to their exact minimiser of
    ``sum_i p_i log(1 + exp(-y_i x_i'w)) + sum_{j in free} l2_j w_j^2/2`` given the others
    (damped Newton). Making their gradient vanish is what makes the dual point feasible for
    the constraint they impose. Left as they are if the restricted Hessian is singular (no
    unique minimiser).
    """
    w = np.array(w, dtype=np.float64)
    if free.size == 0:
        return w
    XF = X[:, free]
    if sp.issparse(XF):
        XF = XF.toarray()
    lf = np.zeros(free.size) if l2 is None else l2[free]
    z = X @ w

    def value(zz, wf):
        return float(p @ np.logaddexp(0.0, -y * zz)) + 0.5 * float(lf @ (wf * wf))

    f = value(z, w[free])
    for _ in range(max_newton):
        s = expit(-y * z)
        g = XF.T @ (-p * y * s) + lf * w[free]
        if np.max(np.abs(g)) <= 1e-15 * max(1.0, float(np.max(np.abs(XF)))):
            break
        H = (XF.T * (p * s * (1 - s))) @ XF + np.diag(lf)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        dz = XF @ step
        t = 1.0
        while t > 1e-10:
            f_new = value(z - t * dz, w[free] - t * step)
            if f_new <= f:
                break
            t *= 0.5
        if t <= 1e-10:
            break
        w[free] -= t * step
        z = z - t * dz
        converged = not f_new < f
        f = f_new
        if converged:
            break
    return w


def _logistic_options_gap(X, y, w, grp, thr, p, l2, with_grad=False, positive=False):
    """``(objective, gap[, gradient])`` of weighted logistic + group penalty + per-feature l2.

    Valid as a certificate when the unpenalized coordinates without l2 have zero gradient
    (after :func:`refit_free`): the dual point ``alpha = p * y * s`` then meets their
    constraints. Without l2 it is rescaled into the penalized groups' dual ball; with l2
    (uniform over the features it is on) the conjugate of ``lam c_g ||.|| + l2/2 ||.||^2``
    is ``(||z_g|| - lam c_g)_+^2 / (2 l2)``.
    """
    margins = y * (X @ w)
    s = expit(-margins)
    pen = np.inf if _infeasible(w, positive) else thr @ grp.norms(w)
    primal = float(p @ np.logaddexp(0.0, -margins)) + pen + 0.5 * float(l2 @ (w * w))
    corr = X.T @ (p * y * s)                       # = -gradient of the datafit
    zn = grp.norms(_one_sided(corr, positive))
    l2_g = np.array([np.max(l2[idx]) for idx in grp])
    ridge = l2_g > 0        # l2 is one value on every feature (never on the intercept)
    ball = (thr > 0) & ~ridge                      # groups whose dual ball bounds alpha
    dn = float(np.max(zn[ball] / thr[ball])) if np.any(ball) else 0.0
    c = 1.0 if dn <= 1.0 else 1.0 / dn
    one_minus = expit(margins) + (1.0 - c) * s
    dual = float(p @ (_entropy(c * s) + _entropy(one_minus)))
    if np.any(ridge):
        dual -= float(np.sum(np.maximum(c * zn[ridge] - thr[ridge], 0.0) ** 2
                             / (2 * l2_g[ridge])))
    grad = -corr + l2 * w
    return (primal, primal - dual, grad) if with_grad else (primal, primal - dual)


def logistic_options_certificate(X, y, w, grp, thr, p, l2, null, positive=False):
    """:class:`Certificate` of ``w`` (already refitted) on rescaled data with options; the
    KKT measures are those of the penalized groups, the unpenalized ones need zero gradient."""
    objective, gap, grad = _logistic_options_gap(X, y, w, grp, thr, p, l2, True, positive)
    dist, on, ng = group_violations(grad, w, grp, thr, positive)
    if _infeasible(w, positive):
        dist = np.full_like(dist, np.inf)
    pen = thr > 0
    off = ~on & pen
    margin = float(np.min(thr[off] - ng[off])) if np.any(off) else float("inf")
    rel = max(gap, 0.0) / null if null > 0 else (0.0 if gap <= 0 else np.inf)
    lip = 0.25 * float(p @ row_norms2(X)) + float(np.max(l2, initial=0.0))
    top = float(np.max(thr))
    return Certificate(objective=float(objective), gap=float(gap), null_objective=null,
                       relative_gap=rel, kkt_violation=float(dist.max()) / top, margin=margin,
                       lipschitz_bound=lip, penalty_scale=top)
