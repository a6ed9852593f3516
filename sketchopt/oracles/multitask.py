"""Multi-task lasso through its exact reduction to a group lasso.

``1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2`` equals ``T`` times the group lasso with design
``kron(I_T, X)`` (``nT`` rows), response ``vec(Y)`` (column-major), ``lam / T`` and one group
``{j, j + d, ..., j + (T-1)d}`` per row ``j`` of ``V``. The reduction multiplies memory by
``T^2``, which is fine for the small ``T`` of the checks; the gap and KKT measures are then
recomputed with the matrix formulas of :mod:`.duality`.
"""

import numpy as np

from .._validation import check_scalar
from . import duality, sparse
from ._result import OracleResult


def multitask_lasso(X, Y, lam, tol=1e-10, max_iter=100, verbose=False):
    """Certified multi-task lasso ``min_V 1/(2n)||Y - XV||_F^2 + lam sum_j ||V_j||_2``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    Y : ndarray, shape (n, T)
    lam : float
        Penalty level, > 0.
    tol, max_iter, verbose
        As in :func:`sketchopt.oracles.lasso`; ``tol`` is relative to the objective above.

    Returns
    -------
    OracleResult
        ``x`` is the (d, T) matrix ``V``; ``support`` the indices of its non-zero rows.
    """
    X, Y, _ = duality._multitask(X, Y)
    lam = check_scalar(lam, "lam", low=0.0, low_open=True)
    tol = check_scalar(tol, "tol", low=0.0, low_open=True)
    n, d = X.shape
    T = Y.shape[1]
    Xk = np.kron(np.eye(T), X)
    yk = Y.ravel(order="F")
    groups = [np.arange(j, d * T, d) for j in range(d)]
    # the reduced objective is the original divided by T; tighten tol so the floor of 1 in
    # max(1, |objective|) cannot loosen the certificate
    inner = sparse.group_lasso(Xk, yk, lam / T, groups, tol=tol / T, max_iter=max_iter,
                               verbose=verbose)
    V = inner.x.reshape(T, d).T.copy()
    grp, thr = duality.penalty_structure(lam, None, None, d)
    objective, gap = duality._ls_gap(X, Y, V, grp, thr)
    viol, margin = duality.kkt_measures(X.T @ (X @ V - Y) / n, V, grp, thr)
    return OracleResult(x=V, objective=objective, gap=gap,
                        support=np.flatnonzero(np.linalg.norm(V, axis=1) > 0),
                        n_iter=inner.n_iter, margin=margin, polished=inner.polished, tol=tol,
                        kkt_violation=viol / lam, info=inner.info)
