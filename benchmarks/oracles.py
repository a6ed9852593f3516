"""Oracle speed against celer (lasso) and skglm (group L1 logistic), run in one process.

Both sides are asked for the same absolute duality gap (ours: 1e-10 * max(1, |P|); celer's
``tol`` is scaled to the same number; skglm stops on its KKT criterion, set to 1e-10). The gap of
every returned solution is then recomputed with :mod:`sketchopt.oracles.duality`, so the table
also says whether the baseline actually reached the certificate. Times exclude JIT compilation
(each solver is run once before timing). ``--quick`` runs d = 1000 only.
"""

import argparse
import warnings

import numpy as np

from benchmarks._common import best_time, print_table
from sketchopt import oracles
from sketchopt.problems import logistic_data, regression_data

TOL = 1e-10


def _lasso_rows(dims, rhos, factors, repeat):
    from celer import Lasso
    rows = []
    for d in dims:
        for rho in rhos:
            X, y, _, _ = regression_data(500, d, 20, rho, 5.0, seed=d + int(10 * rho))
            for f in factors:
                lam = oracles.lam_max(X, y) / f
                ours = oracles.lasso(X, y, lam, tol=TOL)
                target = TOL * max(1.0, abs(ours.objective))
                est = Lasso(alpha=lam, fit_intercept=False, tol=target / (y @ y / y.size),
                            max_iter=1000, max_epochs=100_000)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t_celer = best_time(lambda: est.fit(X, y), repeat=repeat, min_time=0)
                t_ours = best_time(lambda: oracles.lasso(X, y, lam, tol=TOL), repeat=repeat,
                                   min_time=0)
                gap_celer = oracles.lasso_gap(X, y, lam, est.coef_)
                rows.append([d, rho, f"lam_max/{f}", ours.support.size, t_ours, t_celer,
                             t_ours / t_celer, f"{ours.gap:.1e}", f"{gap_celer:.1e}"])
    return rows


def _group_logistic_rows(dims, rhos, factors, repeat):
    from skglm.datafits import LogisticGroup
    from skglm.penalties import WeightedGroupL2
    from skglm.solvers import GroupProxNewton
    from skglm.utils.data import grp_converter
    rows = []
    size = 5
    for d in dims:
        for rho in rhos:
            X, y, _, _ = logistic_data(500, d, 20, rho, 0.05, 1.0, seed=d + int(10 * rho))
            groups = [np.arange(s, s + size) for s in range(0, d, size)]
            ptr_idx = grp_converter(size, d)
            for f in factors:
                lam = oracles.lam_max(X, y, "group_l1_logistic", groups, "sqrt") / f
                weights = np.sqrt(np.full(d // size, float(size)))

                def run_skglm():
                    datafit = LogisticGroup(ptr_idx[1], ptr_idx[0])
                    penalty = WeightedGroupL2(lam, weights, ptr_idx[1], ptr_idx[0])
                    solver = GroupProxNewton(tol=TOL, max_iter=100)
                    return solver.solve(np.asfortranarray(X), y, datafit, penalty)[0]

                ours = oracles.group_l1_logistic(X, y, lam, groups, "sqrt", tol=TOL)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    w_skglm = run_skglm()
                    t_skglm = best_time(run_skglm, repeat=repeat, min_time=0)
                t_ours = best_time(lambda: oracles.group_l1_logistic(
                    X, y, lam, groups, "sqrt", tol=TOL), repeat=repeat, min_time=0)
                gap_skglm = oracles.group_l1_logistic_gap(X, y, lam, groups, w_skglm, "sqrt")
                rows.append([d, rho, f"lam_max/{f}", ours.support.size, t_ours, t_skglm,
                             t_ours / t_skglm, f"{ours.gap:.1e}", f"{gap_skglm:.1e}"])
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks oracles")
    parser.add_argument("--quick", action="store_true", help="d = 1000 only, one repeat")
    args = parser.parse_args(argv)
    dims = (1000,) if args.quick else (1000, 10000)
    repeat = 1 if args.quick else 3
    oracles._warmup()
    header = ["d", "rho", "lam", "support", "ours (s)", "{} (s)", "ratio", "gap ours",
              "gap {}"]
    print_table("lasso, n = 500, tol 1e-10: sketchopt.oracles.lasso vs celer",
                [h.format("celer") for h in header],
                _lasso_rows(dims, (0.0, 0.6), (10, 100), repeat))
    print_table("group L1 logistic, n = 500, groups of 5, weights sqrt: "
                "sketchopt vs skglm GroupProxNewton",
                [h.format("skglm") for h in header],
                _group_logistic_rows(dims, (0.0, 0.6), (10, 100), repeat))
    return 0
