"""Multi-task lasso through its exact reduction to a group lasso.

``1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2`` equals ``T`` times the group lasso with design
``kron(I_T, X)`` (``nT`` rows), response ``vec(Y)`` (column-major), ``lam / T`` and one group
``{j, j + d, ..., j + (T-1)d}`` per row ``j`` of ``V``. Gaps of the two problems are in the same
ratio ``T`` as their objectives at zero, so the relative tolerance carries over unchanged; the
certificate itself is computed with the matrix formulas of :mod:`.duality` on ``V``. The
reduction multiplies memory by ``T^2``, which is fine for the small ``T`` of the checks.
"""

import numpy as np
import scipy.sparse as sp

from ..penalties import Groups
from . import duality, options, sparse


def multitask_lasso(X, Y, lam, tol=1e-10, max_iter=100, verbose=False, *, fit_intercept=False,
                    sample_weight=None, l2=0.0):
    """Certified multi-task lasso ``min_V 1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2``.

    With options (as in :func:`sketchopt.oracles.lasso`): ``min_{V, b} 1/(2 sum s) sum_i
    s_i ||Y_i - x_i'V - b||^2 + lam sum_j ||V_j|| + l2/2 ||V||_F^2``, ``b`` one intercept
    per task (``result.intercept``).

    Parameters
    ----------
    X : ndarray, shape (n, d)
    Y : ndarray, shape (n, T)
    lam : float
        Penalty level, > 0.
    tol, max_iter, verbose
        As in :func:`sketchopt.oracles.lasso`; the certificate is relative to the objective at
        zero, ``||Y||_F^2/(2n)``.

    Returns
    -------
    OracleResult
        ``x`` is the (d, T) matrix ``V``; ``support`` the indices of its non-zero rows.

    Raises
    ------
    ValueError, OracleConvergenceError
        As in :func:`sketchopt.oracles.lasso`; the error's ``x`` is a (d, T) matrix.
    """
    if options.uses_options(fit_intercept, sample_weight, l2, None) or duality._is_zero(lam):
        return options.solve("multitask_lasso", X, Y, lam, None, None, tol, max_iter, verbose,
                             fit_intercept=fit_intercept, sample_weight=sample_weight, l2=l2,
                             feature_weights=None, positive=False)
    X, Y, _ = duality._multitask(X, Y)
    tol, max_iter = sparse.check_budget(tol, max_iter)
    rows, thr = duality.penalty_structure(lam, None, None, X.shape[1])
    n, d = X.shape
    T = Y.shape[1]
    scaling = duality.Scaling.of(X, Y, "ls")
    thr_s = scaling.thresholds(thr, lam)
    Xs, Ys = scaling.data(X, Y)
    extended = tol < duality.EXTENDED_BELOW
    sparse._check_extended(Xs, extended)
    Xk = sp.kron(sp.eye(T), Xs, format="csc") if sp.issparse(Xs) else \
        np.asfortranarray(np.kron(np.eye(T), Xs))
    reduced = sparse._Problem(Xk, Ys.ravel(order="F"),
                              Groups([np.arange(j, d * T, d) for j in range(d)], d * T),
                              thr_s / T, "ls")

    def as_matrix(w):
        return w.reshape(T, d).T.copy()

    def certify(w):
        return duality.scaled_certificate("ls", Xs, Ys, as_matrix(w), rows, thr_s, extended)

    problem = {"kind": "multitask_lasso", "X": X, "y": Y, "lam": float(lam), "groups": None,
               "weights": None}
    result = sparse._run("multitask_lasso", reduced, certify, scaling, tol, max_iter,
                       verbose, problem, as_matrix,
                       lambda V: np.flatnonzero(np.any(V != 0, axis=1)), extended)
    result.intercept = np.zeros(T)
    return result
