"""Least-squares oracles with options, by exact reduction to a plain (group, multi-task) lasso.

The objective, with ``p = sample_weight / sum(sample_weight)`` (uniform by default)::

    P(w, b) = 1/2 sum_i p_i ||y_i - x_i'w - b||^2 + lam sum_g c_g ||w_g|| + l2/2 ||w||^2

(``b = 0`` unless ``fit_intercept``; ``c_g = 0`` leaves group or feature ``g`` unpenalized).
It is the same function of the penalized coefficients as a plain lasso on transformed data:

1. rows: data row ``i`` times ``sqrt(m p_i)`` and, for ``l2 > 0``, ``d`` extra rows
   ``sqrt(m l2) e_j'`` with response 0 (``m`` rows in all, so ``1/(2m)||.||^2`` is ``P``'s
   smooth part);
2. the unpenalized coefficients (intercept, zero-weight features) enter linearly, so their best
   value given the others is a least-squares fit: projecting the rows onto the orthogonal
   complement of their columns (a QR factorisation) removes them exactly. They must have full
   column rank, or the solution is not unique.

The reduced problem is solved and certified by the plain solver; the unpenalized coefficients
are recovered by the same least-squares fit, and the certificate is then recomputed from
``(w, b)`` on the original problem by :func:`.duality.ls_options_certificate`.
"""

import numpy as np
import scipy.sparse as sp
from scipy.linalg import solve_triangular

from .._validation import check_scalar, check_vector
from ..penalties import Groups
from . import duality, sparse
from ._result import OracleConvergenceError, OracleResult

_RANK_RTOL = 1e-10


def _dense_only(X):
    if sp.issparse(X):
        raise ValueError("least squares with fit_intercept, sample_weight, l2 or feature "
                         "weights is solved through a dense reduction; pass X.toarray() (the "
                         "plain solvers and the logistic options take sparse X)")


def check_options(n, fit_intercept, sample_weight, l2):
    """Validated ``(fit_intercept, sample_weight or None, l2)``."""
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise ValueError(f"fit_intercept must be True or False, got {fit_intercept!r}")
    if sample_weight is not None:
        sample_weight = check_vector(sample_weight, "sample_weight", size=n)
        if np.any(sample_weight < 0):
            raise ValueError("sample_weight must be >= 0")
        if not np.any(sample_weight > 0):
            raise ValueError("sample_weight must have at least one positive entry")
    l2 = check_scalar(l2, "l2", low=0.0)
    return bool(fit_intercept), sample_weight, l2


def penalty_weights(kind, d, groups, weights, feature_weights):
    """``(Groups, c >= 0 per group)``: feature weights (lasso) or group weights (zeros allowed)."""
    if kind == "group_lasso":
        grp = groups if isinstance(groups, Groups) else Groups(groups, d)
        if weights is None:
            c = np.ones(grp.n_groups)
        elif isinstance(weights, str):
            if weights != "sqrt":
                raise ValueError(f"weights must be None, 'sqrt' or an array, got {weights!r}")
            c = np.sqrt(grp.sizes.astype(np.float64))
        else:
            c = check_vector(weights, "weights", size=grp.n_groups)
    else:
        grp = Groups(1, d)
        c = np.ones(d) if feature_weights is None else check_vector(
            feature_weights, "feature_weights", size=d)
    name = "weights" if kind == "group_lasso" else "feature_weights"
    if np.any(c < 0):
        raise ValueError(f"{name} must be >= 0")
    if not np.any(c > 0):
        raise ValueError(f"{name}: at least one weight must be > 0 (otherwise there is no "
                         "penalty)")
    return grp, c


def _exact(red, y):
    """Stand-in for the inner result when nothing is penalized (``lam = 0``)."""
    return OracleResult(x=np.zeros((0,) + y.shape[1:]), objective=0.0, gap=0.0,
                        support=np.array([], dtype=np.int64), n_iter=0, margin=np.inf,
                        polished=True, tol=0.0, kkt_violation=0.0,
                        info={"certificate": "lam = 0: least squares solved by QR, duality "
                                             "gap of the projected residual"})


class _Reduction:
    """The transformed data of the module docstring (on already rescaled ``X``, ``Y``)."""

    def __init__(self, X, Y, grp, c, p, l2, fit_intercept):
        n, d = X.shape
        pen = c > 0
        self.pen_groups = np.flatnonzero(pen)
        self.P = np.concatenate([g for g, on in zip(grp, pen) if on] or
                                [np.array([], dtype=np.int64)]).astype(np.int64)
        self.U = np.concatenate([g for g, on in zip(grp, pen) if not on] or
                                [np.array([], dtype=np.int64)]).astype(np.int64)
        m = n + (d if l2 > 0 else 0)
        rho = np.sqrt(m * p)
        rows = rho[:, None] * X
        resp = (rho[:, None] if Y.ndim > 1 else rho) * Y
        if l2 > 0:
            rows = np.vstack([rows, np.sqrt(m * l2) * np.eye(d)])
            resp = np.concatenate([resp, np.zeros((d,) + Y.shape[1:])])
        self.rows, self.resp, self.m = rows, resp, m
        cols = [rows[:, self.U]]
        if fit_intercept:
            cols.append(np.concatenate([rho, np.zeros(m - n)])[:, None])
        A = np.hstack(cols)
        self.fit_intercept = fit_intercept
        self.Q = self.R = None
        if A.shape[1]:
            self.Q, self.R = np.linalg.qr(A)
            diag = np.abs(np.diag(self.R))
            if A.shape[1] > m or not diag.min() > _RANK_RTOL * max(diag.max(), 1e-300):
                what = ("X with the intercept column" if fit_intercept else "X") \
                    if not np.any(pen) else \
                    "the unpenalized part (intercept and zero-weight features)"
                raise ValueError(f"{what} is not of full column rank, so the solution is not "
                                 "unique; drop a redundant unpenalized column or penalize it "
                                 "(lam > 0 or l2 > 0)")
        self.X = np.asfortranarray(self._project(rows[:, self.P]))
        self.Y = self._project(resp)
        sizes = grp.sizes[pen]
        starts = np.concatenate([[0], np.cumsum(sizes)])
        self.groups = [np.arange(a, b) for a, b in zip(starts[:-1], starts[1:])]
        self.c = c[pen]

    def _project(self, V):
        return V if self.Q is None else V - self.Q @ (self.Q.T @ V)

    def recover(self, wP):
        """``(w, b)`` from the penalized coefficients (reduced order)."""
        shape = (self.rows.shape[1],) + wP.shape[1:]
        w = np.zeros(shape)
        w[self.P] = wP
        b = np.zeros(wP.shape[1:]) if wP.ndim > 1 else 0.0
        if self.Q is not None:
            theta = solve_triangular(self.R, self.Q.T @ (self.resp - self.rows[:, self.P] @ wP))
            w[self.U] = theta[:self.U.size]
            if self.fit_intercept:
                b = theta[-1]
        return w, b


def solve(kind, X, y, lam, groups, weights, tol, max_iter, verbose, *, fit_intercept,
          sample_weight, l2, feature_weights, positive=False):
    """A least-squares oracle with options (``kind``: lasso, group_lasso, multitask_lasso)."""
    if kind == "multitask_lasso":
        X, y, _ = duality._multitask(X, y)
    else:
        X, y = duality._design(X, y)
    _dense_only(X)
    tol, max_iter = sparse.check_budget(tol, max_iter)
    lam = check_scalar(lam, "lam", low=0.0)
    fit_intercept, sample_weight, l2 = check_options(X.shape[0], fit_intercept, sample_weight,
                                                     l2)
    grp, c = penalty_weights(kind, X.shape[1], groups, weights, feature_weights)
    positive = duality._check_positive(positive, kind)
    if lam == 0:
        if positive:
            raise ValueError("lam = 0 with positive=True (non-negative least squares) is not "
                             "supported; use a small lam > 0")
        c = np.zeros_like(c)       # no penalty: every coefficient is fitted by least squares
    if positive and np.any(c == 0):
        raise ValueError("positive=True with zero feature_weights is not supported: the "
                         "unpenalized features are refitted by unconstrained least squares")
    n = X.shape[0]
    p = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / sample_weight.sum()
    scaling = duality.Scaling.of(X, y, "ls")
    sx, sy = scaling.sx, scaling.sy
    Xs, ys = scaling.data(X, y)
    red = _Reduction(Xs, ys, grp, c, p, l2 / (sx * sx), fit_intercept)
    lam_s = scaling.thresholds(np.array([lam]), lam)[0] if lam > 0 else 0.0
    try:
        if red.P.size == 0:        # lam = 0: the projection already solved it exactly
            inner = _exact(red, y)
        elif kind == "multitask_lasso":
            from .multitask import multitask_lasso
            inner = multitask_lasso(red.X, red.Y, lam_s, tol=tol, max_iter=max_iter,
                                    verbose=verbose)
        else:
            data = sparse._Data("group_lasso", red.X, red.Y)
            inner = sparse._solve_on(data, lam_s, red.groups, red.c, tol, max_iter, verbose,
                                     positive=positive)
    except OracleConvergenceError as err:
        w, _ = red.recover(err.x)
        raise OracleConvergenceError(kind, err.gap * sy * sy, err.objective * sy * sy,
                                     err.relative_gap, tol, err.n_iter,
                                     sparse._representable(kind, w, "last point", sy, sx),
                                     err.reason) from None
    w_s, b_s = red.recover(inner.x)
    w = sparse._representable(kind, w_s, "solution", sy, sx)
    b = sparse._representable(kind, b_s, "intercept", sy)
    cert = duality.ls_options_certificate(X, y, lam, w, b, grp, c, sample_weight, l2,
                                          fit_intercept, positive)
    if not (cert.relative_gap <= tol and cert.implies_kkt(tol)):
        raise OracleConvergenceError(kind, max(cert.gap, 0.0), cert.objective,
                                     cert.relative_gap, tol, inner.n_iter, w, "recomputed")
    rows_of = np.flatnonzero(np.any(w != 0, axis=1)) if w.ndim > 1 else np.flatnonzero(w)
    info = dict(inner.info, raw_gap=cert.gap, extended=inner.info.get("extended", False),
                reduction={"rows": red.m, "penalized": int(red.P.size),
                           "unpenalized": int(red.U.size) + int(fit_intercept)})
    problem = {"kind": kind, "X": X, "y": y, "lam": float(lam), "groups": groups,
               "weights": weights, "fit_intercept": fit_intercept,
               "sample_weight": sample_weight, "l2": l2, "feature_weights": feature_weights,
               "positive": positive}
    return OracleResult(x=w, objective=cert.objective, gap=max(cert.gap, 0.0),
                        support=rows_of, n_iter=inner.n_iter, margin=cert.margin,
                        polished=inner.polished, tol=tol, kkt_violation=cert.kkt_violation,
                        null_objective=cert.null_objective, relative_gap=cert.relative_gap,
                        info=info, problem=problem, intercept=b)


def uses_options(fit_intercept, sample_weight, l2, feature_weights, weights=None):
    """Whether any option differs from the plain problem (zero group ``weights`` included:
    the plain solvers need every group penalized)."""
    zero_weight = weights is not None and not isinstance(weights, str) and \
        bool(np.any(np.asarray(weights) == 0))
    return bool(fit_intercept) or sample_weight is not None or feature_weights is not None \
        or not (isinstance(l2, (int, float)) and l2 == 0) or zero_weight


def lam_max(kind, X, y, groups, weights, *, fit_intercept=False, sample_weight=None, l2=0.0,
            feature_weights=None, positive=False):
    """Smallest ``lam`` for which every penalized coefficient is zero, with the options."""
    if kind == "multitask_lasso":
        X, y, _ = duality._multitask(X, y)
    else:
        X, y = duality._design(X, y)
    _dense_only(X)
    fit_intercept, sample_weight, l2 = check_options(X.shape[0], fit_intercept, sample_weight,
                                                     l2)
    grp, c = penalty_weights(kind if kind != "multitask_lasso" else "lasso", X.shape[1],
                             groups, weights, feature_weights)
    n = X.shape[0]
    p = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / sample_weight.sum()
    scaling = duality.Scaling.of(X, y, "ls")
    Xs, ys = scaling.data(X, y)
    red = _Reduction(Xs, ys, grp, c, p, l2 / scaling.sx ** 2, fit_intercept)
    corr = red.X.T @ red.Y / red.m
    if positive:
        corr = np.maximum(corr, 0.0)
    pen_grp = Groups(red.groups, red.X.shape[1])
    return float(np.max(pen_grp.norms(corr) / red.c)) * scaling.sx * scaling.sy


# ------------------------------------------------------------------ logistic with options
#
# No exact reduction exists for the logistic loss, so the kernel takes the options itself:
# sample weights p, one l2 value per feature, unpenalized groups (threshold 0) and an
# intercept as one more unpenalized column of ones. Coordinates that are unpenalized and
# carry no l2 (the intercept, zero-weight features when l2 = 0) are refitted exactly before
# every gap, so the dual point meets the equality constraints they impose.

def _augmented(kind, X, y, lam, groups, weights, feature_weights, sample_weight, l2,
               fit_intercept, positive):
    """The rescaled logistic problem with options: ``(prob, scaling)``; ``prob.positive`` is
    the mask of the constrained coordinates (never the intercept)."""
    n, d = X.shape
    grp, c = penalty_weights("group_lasso" if kind == "group_l1_logistic" else "lasso", d,
                             groups, weights, feature_weights)
    if positive and np.any(c == 0):
        raise ValueError("positive=True with zero feature_weights is not supported")
    p = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / sample_weight.sum()
    scaling = duality.Scaling.of(X, y, "logistic")
    Xs, _ = scaling.data(X, y)
    thr = scaling.thresholds(np.array([lam]), lam)[0] * c
    l2v = np.full(d, l2 / scaling.sx ** 2)
    parts = list(grp)
    if fit_intercept:
        ones = np.ones((n, 1))
        Xs = sp.hstack([Xs, ones], format="csc") if sp.issparse(Xs) else \
            np.asfortranarray(np.hstack([Xs, ones]))
        parts.append(np.array([d]))
        thr = np.append(thr, 0.0)
        l2v = np.append(l2v, 0.0)
    grp_aug = Groups(parts, Xs.shape[1])
    mask = np.zeros(Xs.shape[1], dtype=bool)
    if positive:
        mask[:d] = True
    null = duality.logistic_null(y, p, fit_intercept)
    prob = sparse._Problem(Xs, y, grp_aug, thr, "logistic", mask if positive else False, p,
                           l2v, null)
    return prob, scaling


def _logistic_problem(kind, X, y, lam, groups, weights, fit_intercept, sample_weight, l2,
                      feature_weights, positive):
    """Validated inputs and the rescaled problem: ``(X, y, lam, opts, prob, scaling)`` with
    ``opts`` the validated ``(fit_intercept, sample_weight, l2, positive)``."""
    X, y = duality._design(X, y, labels=True)
    lam = check_scalar(lam, "lam", low=0.0, low_open=True)
    fit_intercept, sample_weight, l2 = check_options(X.shape[0], fit_intercept, sample_weight,
                                                     l2)
    positive = duality._check_positive(positive, kind)
    prob, scaling = _augmented(kind, X, y, lam, groups, weights, feature_weights,
                               sample_weight, l2, fit_intercept, positive)
    return X, y, lam, (fit_intercept, sample_weight, l2, positive), prob, scaling


def solve_logistic(kind, X, y, lam, groups, weights, tol, max_iter, verbose, *, fit_intercept,
                   sample_weight, l2, feature_weights, positive):
    """``l1_logistic`` / ``group_l1_logistic`` with options::

        min_{w, b} sum_i p_i log(1 + exp(-y_i (x_i'w + b))) + lam sum_g c_g ||w_g||
                   + l2/2 ||w||^2   (+ w >= 0)
    """
    X, y, lam, opts, prob, scaling = _logistic_problem(
        kind, X, y, lam, groups, weights, fit_intercept, sample_weight, l2, feature_weights,
        positive)
    fit_intercept, sample_weight, l2, positive = opts
    tol, max_iter = sparse.check_budget(tol, max_iter)
    d = X.shape[1]

    def certify(w):
        return duality.logistic_options_certificate(prob.X, y, w, prob.grp, prob.thr, prob.p,
                                                    prob.l2, prob.null, prob.positive)

    try:
        solved = sparse.solve(prob, tol, max_iter, kind, certify, verbose)
    except sparse._NotCertified as stop:
        raise OracleConvergenceError(kind, max(stop.cert.gap, 0.0), stop.cert.objective,
                                     stop.cert.relative_gap, tol, stop.n_iter,
                                     sparse._representable(kind, stop.w[:d], "last point",
                                                           1.0, scaling.sx),
                                     stop.reason) from None
    c = solved.cert
    w = sparse._representable(kind, solved.w[:d], "solution", 1.0, scaling.sx)
    b = float(solved.w[d]) if fit_intercept else 0.0
    info = dict(solved.info, raw_gap=c.gap, extended=False)
    problem = {"kind": kind, "X": X, "y": y, "lam": float(lam), "groups": groups,
               "weights": weights, "fit_intercept": fit_intercept,
               "sample_weight": sample_weight, "l2": l2, "feature_weights": feature_weights,
               "positive": positive}
    return OracleResult(x=w, objective=c.objective, gap=max(c.gap, 0.0),
                        support=np.flatnonzero(w), n_iter=solved.n_iter,
                        margin=c.margin * scaling.sx, polished=False, tol=tol,
                        kkt_violation=c.kkt_violation, null_objective=c.null_objective,
                        relative_gap=c.relative_gap, info=info, problem=problem, intercept=b)


def logistic_certificate(kind, X, y, lam, w, b, groups, weights, *, fit_intercept,
                         sample_weight, l2, feature_weights, positive):
    """Certificate of a user's ``(w, b)`` for logistic with options: the primal at ``(w, b)``
    and the dual point of ``(w, b)`` with its free coordinates refitted (valid for any point:
    ``P(w, b) - D`` bounds ``P(w, b) - P*`` as ``D <= P*``)."""
    X, y, lam, opts, prob, scaling = _logistic_problem(
        kind, X, y, lam, groups, weights, fit_intercept, sample_weight, l2, feature_weights,
        positive)
    fit_intercept = opts[0]
    w = check_vector(w, "w", X.shape[1])
    ws = w * scaling.sx
    if fit_intercept:
        ws = np.append(ws, float(b))
    at_user = duality._logistic_options_gap(prob.X, y, ws, prob.grp, prob.thr, prob.p,
                                            prob.l2, False, prob.positive)[0]
    refit = prob.refit(ws)
    cert = duality.logistic_options_certificate(prob.X, y, refit, prob.grp, prob.thr, prob.p,
                                                prob.l2, prob.null, prob.positive)
    gap = at_user - cert.objective + cert.gap
    rel = max(gap, 0.0) / cert.null_objective
    mine = duality.logistic_options_certificate(prob.X, y, ws, prob.grp, prob.thr, prob.p,
                                                prob.l2, prob.null, prob.positive)
    return duality.Certificate(objective=at_user, gap=gap, null_objective=cert.null_objective,
                               relative_gap=rel, kkt_violation=mine.kkt_violation,
                               margin=mine.margin * scaling.sx,
                               lipschitz_bound=cert.lipschitz_bound * scaling.sx ** 2,
                               penalty_scale=cert.penalty_scale * scaling.sx)


def logistic_lam_max(kind, X, y, groups, weights, *, fit_intercept, sample_weight, l2,
                     feature_weights, positive):
    """``lam_max`` of logistic with options: the penalized groups' dual norm at ``w = 0`` with
    the intercept and the unpenalized features fitted."""
    X, y, _, opts, prob, scaling = _logistic_problem(
        kind, X, y, 1.0, groups, weights, fit_intercept, sample_weight, l2, feature_weights,
        positive)
    positive = opts[3]
    unpen = np.concatenate([prob.grp.order[prob.grp.ptr[g]:prob.grp.ptr[g + 1]]
                            for g in np.flatnonzero(prob.thr == 0)] or [np.array([], int)])
    w0 = duality.refit_free(prob.X, y, np.zeros(prob.X.shape[1]), unpen.astype(np.int64),
                            prob.p, prob.l2)
    s = 1.0 / (1.0 + np.exp(y * (prob.X @ w0)))
    corr = prob.X.T @ (prob.p * y * s)
    if positive:
        corr = np.maximum(corr, 0.0)
    pen = prob.thr > 0
    # thresholds were built for lam = 1 (in rescaled units): thr_g = c_g / sx
    return float(np.max(prob.grp.norms(corr)[pen] / prob.thr[pen]))
