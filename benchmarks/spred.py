"""spred against the certified lasso oracle: time to a relative objective gap, and kernels vs
NumPy twins.

For each d, the oracle's certified objective P* is computed first; spred (GD with the step of
``suggest_step`` given the oracle's max|w*|, and Adam with coupled weight decay, lr 1e-2) is run
once with the objective recorded every ``REC`` steps to find the first step t with
``(P(w_t) - P*) / |P*| <= GAP``, then a run of exactly t steps is timed (JIT excluded). A
first-order method on a nonconvex lift losing to a certified working-set coordinate-descent
solver is a result, not a bug. ``--quick``: d = 1000 only, one repeat.
"""

import argparse
import time

import numpy as np

from benchmarks._common import best_time, print_table
from sketchopt import oracles
from sketchopt.methods import spred as S
from sketchopt.problems import regression_data

GAP = 1e-6
REC = 10


def _time_to_gap(X, y, kappa, p_star, u0, W0, T_max, repeat, **kw):
    tr = S.spred(X, y, kappa, T=T_max, u0=u0, W0=W0, record_every=REC, **kw)
    rel = (tr.stats["objective"] - p_star) / abs(p_star)
    hit = np.flatnonzero(rel <= GAP)
    if hit.size == 0:
        return None, float(rel[-1])
    t = int(tr.steps[hit[0]])
    sec = best_time(lambda: S.spred(X, y, kappa, T=t, u0=u0, W0=W0, **kw), repeat=repeat,
                    min_time=0.0)
    return (t, sec), float(rel[hit[0]])


def bench_gap(dims, n, T_max, repeat):
    rows = []
    for d in dims:
        X, y, _, _ = regression_data(n, d, 10, rho=0.3, snr=5.0, seed=1)
        kappa = 0.1 * oracles.lam_max(X, y)
        oracle = oracles.lasso(X, y, kappa)  # compiled already; time it below
        t_or = best_time(lambda: oracles.lasso(X, y, kappa), repeat=repeat, min_time=0.0)
        if d > 1000:
            repeat = 1   # spred runs take seconds to minutes here: one timing suffices
        u0, W0 = S.initial_factors(d, 1, seed=0)
        step = S.suggest_step(X, y, kappa, u0, W0, w_max=np.abs(oracle.x).max())
        for name, kw in (("spred GD", dict(optimizer="gd", step=step)),
                         ("spred Adam", dict(optimizer="adam", step=1e-2))):
            res, rel = _time_to_gap(X, y, kappa, oracle.objective, u0, W0, T_max, repeat, **kw)
            if res is None:
                rows.append([d, name, f"> {T_max}", "not reached", f"{rel:.1e}", t_or, "-"])
            else:
                rows.append([d, name, res[0], res[1], f"{rel:.1e}", t_or, res[1] / t_or])
    print_table(f"spred time to relative objective gap {GAP:g} vs the certified lasso oracle "
                f"(n={n}, kappa = 0.1 kappa_max, oracle gap 1e-10)",
                ["d", "method", "steps", "spred s", "rel gap", "oracle s", "spred/oracle"], rows)


def bench_twins(repeat):
    rows = []
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 100))
    y = rng.standard_normal(200)
    u0, W0 = S.initial_factors(100, 1, seed=0)
    T = 200
    for opt, code in (("gd", 0), ("momentum", 1), ("adam", 2)):
        t_k = best_time(lambda: S.spred(X, y, 0.1, optimizer=opt, step=1e-3, T=T, u0=u0, W0=W0),
                        repeat=repeat)
        t_t = best_time(lambda: S.spred_twin(X, y[:, None], 0, u0, W0, 0.1, 0.1, 1.0,
                                             np.full(T, 1e-3), code), repeat=repeat)
        rows.append([opt, 1e6 * t_k / T, 1e6 * t_t / T, t_t / t_k])
    print_table(f"spred kernel vs NumPy twin, n=200, d=100, {T} steps (per step)",
                ["optimizer", "kernel us", "twin us", "twin/kernel"], rows)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks spred")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--dims", type=int, nargs="+", default=[1000, 10000, 40000],
                    help="dimensions d of the time-to-gap table (full mode)")
    args = ap.parse_args(argv)
    S._warmup()
    oracles._warmup()
    t0 = time.perf_counter()
    if args.quick:
        bench_gap([1000], 500, 20000, 1)
    else:
        bench_gap(args.dims, 500, 20000, 3)
    bench_twins(1 if args.quick else 5)
    print(f"\ntotal {time.perf_counter() - t0:.1f}s")
    return 0
