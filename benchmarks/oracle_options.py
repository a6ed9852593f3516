"""Oracle speed on sparse designs and with an intercept, against celer, skglm and scikit-learn.

Same protocol as ``python -m benchmarks oracles`` (one process, one thread for every solver,
JIT excluded, target gap ``1e-10 * P(0)`` recomputed from every returned point by
:func:`sketchopt.oracles.certificate`, a peer that misses re-run with its tol divided by 10 up
to three times):

* **sparse**: lasso on a random CSC design of density 1 %, n = 10 000, d = 100 000 (quick:
  n = 2 000, d = 20 000), lam_max/10 and lam_max/100;
* **intercept**: lasso with ``fit_intercept=True`` on the dense n = 500 designs of the main
  table (d = 1000; full mode also d = 10 000), rho in {0, 0.6}, y shifted by 3.
"""

import argparse
import warnings

import numpy as np
import scipy.sparse as sp

from benchmarks._common import best_time, print_table
from sketchopt import oracles
from sketchopt.problems import regression_data

TOL = 1e-10


def _peers(lam, tol_scaled, tol, fit_intercept):
    from celer import Lasso as CelerLasso
    from skglm import Lasso as SkglmLasso
    from sklearn.linear_model import Lasso as SkLasso
    return [
        ("celer", lambda: CelerLasso(alpha=lam, fit_intercept=fit_intercept, tol=tol_scaled,
                                     max_iter=1000, max_epochs=100_000)),
        ("skglm", lambda: SkglmLasso(alpha=lam, fit_intercept=fit_intercept, tol=tol,
                                     max_iter=1000)),
        ("scikit-learn", lambda: SkLasso(alpha=lam, fit_intercept=fit_intercept,
                                         tol=tol_scaled, max_iter=100_000)),
    ]


def _fit(make, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = make().fit(X, y)
    warned = any("converge" in str(w.message).lower() for w in caught)
    return np.ravel(est.coef_), float(np.ravel(getattr(est, "intercept_", 0.0))[0]), warned


def _rows(X, y, lam, fit_intercept, label, repeat):
    ours = oracles.lasso(X, y, lam, tol=TOL, fit_intercept=fit_intercept)
    target = TOL * ours.null_objective
    t_ours = best_time(lambda: oracles.lasso(X, y, lam, tol=TOL, fit_intercept=fit_intercept),
                       repeat=repeat, min_time=0)
    n = y.size
    yc = y - y.mean() if fit_intercept else y
    rows = []
    for name, _ in _peers(lam, 1.0, 1.0, fit_intercept):
        first = None
        for k in range(4):
            tol = target * 10.0 ** -k
            make = dict(_peers(lam, tol / (yc @ yc / n), tol, fit_intercept))[name]
            coef, b, warned = _fit(make, X, y)
            gap = oracles.certificate(X, y, lam, coef, intercept=b,
                                      fit_intercept=fit_intercept).gap
            if first is None:
                first = "yes" if gap <= target else "no (warned)" if warned else "FALSE claim"
            if gap <= target or warned:
                break
        t_peer = best_time(lambda: _fit(make, X, y), repeat=repeat, min_time=0)
        rows.append(label + [ours.support.size, name, t_ours, t_peer, t_ours / t_peer,
                             f"{ours.gap:.1e}", f"{gap:.1e}", first,
                             ("1" if k == 0 else f"1e-{k}") + ("" if gap <= target
                                                                else " (missed)")])
    return rows


def sparse_rows(n, d, repeat):
    rng = np.random.default_rng(0)
    X = sp.random(n, d, density=0.01, random_state=0, format="csc")
    w = np.zeros(d)
    w[rng.choice(d, 50, replace=False)] = rng.standard_normal(50)
    y = X @ w + 0.1 * rng.standard_normal(n)
    lam_max = oracles.lam_max(X, y)
    rows = []
    for f in (10, 100):
        rows += _rows(X, y, lam_max / f, False, [n, d, f"lam_max/{f}"], repeat)
    return rows


def intercept_rows(dims, repeat):
    rows = []
    for d in dims:
        for rho in (0.0, 0.6):
            X, y, _, _ = regression_data(500, d, 20, rho, 5.0, seed=d + int(10 * rho))
            y = y + 3.0
            lam_max = oracles.lam_max(X, y, fit_intercept=True)
            for f in (10, 100):
                rows += _rows(X, y, lam_max / f, True, [d, rho, f"lam_max/{f}"], repeat)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks oracle_options")
    parser.add_argument("--quick", action="store_true",
                        help="sparse n = 2000, d = 20 000; intercept d = 1000; one repeat")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 3
    oracles._warmup()
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    tail = ["support", "peer", "ours (s)", "peer (s)", "ratio", "gap ours", "gap peer",
            "peer at target", "peer tol x"]
    n, d = (2000, 20_000) if args.quick else (10_000, 100_000)
    print_table("lasso, sparse CSC design of density 1 %, target gap 1e-10 * P(0)",
                ["n", "d", "lam"] + tail, sparse_rows(n, d, repeat))
    print_table("lasso with fit_intercept=True, n = 500, target gap 1e-10 * P(0)",
                ["d", "rho", "lam"] + tail,
                intercept_rows((1000,) if args.quick else (1000, 10_000), repeat))
    return 0
