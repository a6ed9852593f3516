"""Assertions for other projects' tests: is a given point optimal for a sparse problem?

The rule is the one the certified oracles of :mod:`sketchopt.oracles` use. For a point ``w``
of ``P(w) = F(w) + penalty(w)``, the duality gap ``gap(w) >= P(w) - P*`` is recomputed from the
data and ``w`` alone, and ``w`` passes at ``rtol`` when

* ``gap(w) <= rtol * P(0)``, with ``P(0)`` the objective at zero (``||y||^2/(2n)`` for least
  squares, ``||Y||_F^2/(2n)`` for the multi-task lasso, ``log 2`` for logistic): an upper bound
  on the optimum that scales with the data, so the test means the same at every scale; and
* the KKT violation off the support is no larger than that gap allows: a proximal-gradient
  step from ``w`` decreases ``P`` by at least ``L/2`` times its squared length, so
  ``(||grad_g|| - lam_g)_+ <= sqrt(2 L rtol P(0))`` for every zero group ``g`` (``L`` a bound
  on the Lipschitz constant of ``grad F``).

All arithmetic runs on the data divided by powers of two (exact), and in ``np.longdouble``
when ``rtol < 1e-11``; every failure message gives the recomputed numbers.
"""


from ..oracles import duality

__all__ = ["assert_lasso_optimal", "assert_group_lasso_optimal", "assert_l1_logistic_optimal",
           "assert_group_l1_logistic_optimal", "assert_multitask_lasso_optimal",
           "assert_certified"]


def _assert(kind, X, y, lam, w, rtol, groups=None, weights=None, label=None, **opts):
    cert = duality.certificate(X, y, lam, w, kind=kind, groups=groups, weights=weights,
                               extended=rtol < duality.EXTENDED_BELOW, **opts)
    if not (cert.relative_gap <= rtol and cert.implies_kkt(rtol)):
        raise AssertionError(
            f"{label or kind}: point is not optimal to rtol={rtol:g}: relative gap "
            f"{cert.relative_gap:.3e} (gap {cert.gap:.3e} against the objective at zero "
            f"{cert.null_objective:.3e}), KKT violation {cert.kkt_violation:.3e} relative to "
            f"lam, off-support margin {cert.margin:.3e}")
    return cert


def assert_lasso_optimal(X, y, lam, w, rtol=1e-9, *, intercept=0.0, fit_intercept=False,
                         sample_weight=None, l2=0.0, feature_weights=None, positive=False):
    """Assert ``w`` solves ``min_w 1/(2n)||y - Xw||^2 + lam ||w||_1`` to ``rtol``.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    lam : float
        Penalty level, > 0.
    w : array_like, shape (d,)
        The point to test.
    rtol : float
        Relative tolerance of the rule in the module docstring (gap against ``||y||^2/(2n)``).
    intercept, fit_intercept, sample_weight, l2, feature_weights, positive
        The options of :func:`sketchopt.oracles.lasso`; ``intercept`` is the point's ``b``.

    Returns
    -------
    Certificate
        The recomputed numbers (``relative_gap``, ``kkt_violation``, ``margin``, ...).

    Raises
    ------
    AssertionError
        If ``w`` is not optimal to ``rtol``, with the recomputed numbers.
    ValueError
        If an argument has the wrong shape or type (the message names it).
    """
    return _assert("lasso", X, y, lam, w, rtol, intercept=intercept,
                   fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2,
                   feature_weights=feature_weights, positive=positive)


def assert_group_lasso_optimal(X, y, lam, groups, w, weights=None, rtol=1e-9, *, intercept=0.0,
                               fit_intercept=False, sample_weight=None, l2=0.0):
    """Assert ``w`` solves ``1/(2n)||y - Xw||^2 + lam sum_g c_g ||w_g||_2`` to ``rtol``.

    ``groups`` is a list of index arrays partitioning the columns, or an int group size;
    ``weights`` ``None`` (c_g = 1), ``"sqrt"`` (c_g = sqrt(n_g)) or an array (0: unpenalized).
    The options and the rest as in :func:`assert_lasso_optimal`.
    """
    return _assert("group_lasso", X, y, lam, w, rtol, groups, weights, intercept=intercept,
                   fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2)


def assert_l1_logistic_optimal(X, y, lam, w, rtol=1e-9, *, positive=False):
    """Assert ``w`` solves ``1/n sum log(1 + exp(-y_i x_i'w)) + lam ||w||_1`` to ``rtol``.

    Labels ``y`` in {-1, +1}; the gap is measured against ``log 2``; ``positive``: the
    constraint ``w >= 0``. The rest as in :func:`assert_lasso_optimal`.
    """
    return _assert("l1_logistic", X, y, lam, w, rtol, positive=positive)


def assert_group_l1_logistic_optimal(X, y, lam, groups, w, weights=None, rtol=1e-9):
    """Assert ``w`` solves group-L1 logistic regression to ``rtol``; ``groups`` and
    ``weights`` as in :func:`assert_group_lasso_optimal`, labels as in
    :func:`assert_l1_logistic_optimal`."""
    return _assert("group_l1_logistic", X, y, lam, w, rtol, groups, weights)


def assert_multitask_lasso_optimal(X, Y, lam, V, rtol=1e-9, *, intercept=0.0,
                                   fit_intercept=False, sample_weight=None, l2=0.0):
    """Assert the (d, T) matrix ``V`` solves ``1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2``
    (rows ``V_j``) to ``rtol``; the gap is measured against ``||Y||_F^2/(2n)``. The rest as
    in :func:`assert_lasso_optimal` (``intercept``: one per task)."""
    return _assert("multitask_lasso", X, Y, lam, V, rtol, intercept=intercept,
                   fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2)


def assert_certified(result, X=None, y=None, lam=None, groups=None, weights=None, kind=None):
    """Assert an :class:`~sketchopt.oracles.OracleResult` is what it says, by recomputation.

    The certificate of ``result.x`` is recomputed from the data (by default the problem the
    result records in ``result.problem``; pass ``X, y, lam`` and for groups ``groups,
    weights`` to check it against data of your own, and ``kind`` for a result that records no
    problem), and must meet ``result.tol`` by the rule
    in the module docstring. The stored ``gap`` and ``objective`` are not trusted, but must
    agree with the recomputed ones.

    Returns
    -------
    Certificate
        The recomputed certificate.
    """
    problem = dict(getattr(result, "problem", None) or {})
    given = {k: v for k, v in (("kind", kind), ("X", X), ("y", y), ("lam", lam),
                               ("groups", groups), ("weights", weights)) if v is not None}
    problem.update(given)
    missing = [k for k in ("kind", "X", "y", "lam") if k not in problem]
    if missing:
        raise ValueError(f"assert_certified: the result records no problem ({', '.join(missing)}"
                         " missing); pass kind, X, y and lam")
    kind = problem["kind"]
    opts = {k: problem[k] for k in ("fit_intercept", "sample_weight", "l2", "feature_weights",
                                    "positive") if problem.get(k) is not None}
    if opts:
        opts["intercept"] = getattr(result, "intercept", 0.0)
    cert = _assert(kind, problem["X"], problem["y"], problem["lam"], result.x, result.tol,
                   problem.get("groups"), problem.get("weights"),
                   label=f"{kind} result (recomputed)", **opts)
    if not result.certified:
        raise AssertionError(f"{kind} result says it is not certified (relative gap "
                             f"{result.relative_gap:.3e}, tol {result.tol:g})")
    scale = max(cert.null_objective, abs(cert.objective))
    if not abs(result.objective - cert.objective) <= 1e-12 * scale + result.tol * \
            cert.null_objective:
        raise AssertionError(f"{kind} result: stored objective {result.objective!r} but the "
                             f"recomputed one is {cert.objective!r}")
    if not (result.gap >= 0 and result.gap <= result.tol * cert.null_objective):
        raise AssertionError(f"{kind} result: stored gap {result.gap!r} is negative or above "
                             f"tol * objective at zero = {result.tol * cert.null_objective:.3e}")
    return cert
