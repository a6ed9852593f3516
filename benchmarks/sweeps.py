"""Sweeps: serial vs a Dask LocalCluster (2 single-threaded workers) on two workloads.

(a) Monte Carlo claim: E||x_T - x*||^2 of SGD with Gaussian gradient noise on a d = 10
    quadratic, 10^5 runs in seed blocks of 1000 (100 work units), checked against the exact
    moment recursion with the Monte Carlo equality rule of CLAIMS.md.
(b) Regime map: f-gradients AuxMOM / AuxMVR (V1) need to reach E||grad f||^2 <= target relative
    to SGD, on exact moments of the quadratic pair of check AUX-18, over a delta/L x rho grid
    (20 x 10 = 200 points, one unit each).

Both run through ``run_sweep`` with a fresh temporary result store (so every unit is computed
and written), serial first with no cluster alive. The cluster is then started and its workers
warmed up (imports, Numba disk cache) before timing, as the serial run is warm too; start-up
is printed separately. ``throughput``
is serial time / cluster time; the results of the two runs are compared bit for bit.
``--quick``: 2 x 10^4 runs and a 10 x 5 grid.
"""

import argparse
import os
import tempfile
import time

import numpy as np

from benchmarks._common import machine
from sketchopt.sweeps import ResultStore, concat, get_executor, run_sweep, seed_blocks

MC = {"d": 10, "T": 200, "step": 0.05, "sigma": 1.0, "problem_seed": 3, "block_size": 1000}


def _mc_problem(d, problem_seed):
    from sketchopt.problems import random_quadratic
    return random_quadratic(d, seed=problem_seed)


def mc_block(d, T, step, sigma, problem_seed, n_runs, seed):
    """One seed block: final squared errors ||x_T - x*||^2 of ``n_runs`` SGD runs from
    ``x* + 1`` with noise ``xi ~ N(0, sigma^2/d I)`` (a work unit)."""
    from sketchopt.methods.baselines import sgd_quadratic
    quad = _mc_problem(d, problem_seed)
    x_star = quad.minimizer()
    rng = np.random.default_rng(seed)
    err2 = np.empty(n_runs)
    for r in range(n_runs):
        noise = rng.standard_normal((T, d)) * (sigma / np.sqrt(d))
        x_T = sgd_quadratic(quad, x_star + 1.0, step, noise).final
        err2[r] = np.sum((x_T - x_star) ** 2)
    return {"err2": err2}


def mc_exact(d, T, step, sigma, problem_seed):
    """E||x_T - x*||^2 from the exact moment recursion."""
    from sketchopt.methods.baselines import sgd_moment_recursion
    quad = _mc_problem(d, problem_seed)
    rec = sgd_moment_recursion(quad, step, sigma)
    return float(rec.expected_quadratic(np.ones(d), T)[-1])


def regime_point(delta_over_L, rho):
    """f-gradients to target of AuxMOM and AuxMVR (V1) divided by SGD's at one grid point
    (exact moments; ``inf`` if the method never reaches the target; a work unit)."""
    from sketchopt.methods import auxinfo_exact as ex
    from sketchopt.methods.auxinfo_noise import NoiseModel
    from theory_checks.auxinfo import REGIME as p
    from theory_checks.auxinfo import f_gradients_to_target, regime_instance
    pair, x0, eta = regime_instance(delta_over_L)
    nm = NoiseModel.additive(p["s"], p["s"], rho)
    sgd = ex.exact_moments(pair, x0, p["sgd_step"] / pair.f.L, 1, p["T"], 1.0, "mom", "V2",
                           nm, share_first=True)["grad2"]
    n_sgd = f_gradients_to_target(sgd, 1)
    out = {}
    for name, per, off in (("mom", 1, 0), ("mvr", 2, 1)):
        g2 = ex.exact_moments(pair, x0, eta, p["K"], p["T"], p["a"], name, "V1", nm)["grad2"]
        out[name] = np.float64(f_gradients_to_target(g2, per, off) / n_sgd)
    return out


def _warm():
    """Run on every worker before timing: imports and Numba kernels loaded."""
    mc_block(n_runs=2, seed=0, **{k: v for k, v in MC.items() if k != "block_size"})
    regime_point(0.1, 0.5)
    return os.getpid()


def _workloads(quick):
    n_runs = 20_000 if quick else 100_000
    mc_kw = {k: v for k, v in MC.items() if k != "block_size"}
    mc_units = seed_blocks(20260701, n_runs, MC["block_size"], **mc_kw)
    n_blocks = len(mc_units)
    deltas = np.round(np.geomspace(0.01, 3.0, 10 if quick else 20), 6)
    rhos = np.round(np.linspace(0.0, 0.99, 5 if quick else 10), 6)
    grid_units = [{"delta_over_L": float(d), "rho": float(r)} for d in deltas for r in rhos]
    return [(f"MC claim, {n_runs} SGD runs", mc_block, mc_units, f"{n_blocks} x 1000 runs"),
            (f"regime map {len(deltas)}x{len(rhos)}", regime_point, grid_units,
             f"{len(grid_units)} points")]


def _identical(a, b):
    return all(sorted(x) == sorted(y) and all(x[k].tobytes() == y[k].tobytes() for k in x)
               for x, y in zip(a.results, b.results))


def _summary(name, res):
    if name.startswith("MC"):
        from sketchopt.stats import mc_equal
        samples = concat(res.results, "err2")
        kw = {k: v for k, v in MC.items() if k != "block_size"}
        rule = mc_equal(samples, mc_exact(**kw))
        return (f"mean {float(rule.mean):.5g} vs exact {mc_exact(**kw):.5g}, "
                f"MC equality {'PASS' if rule.passed else 'FAIL'} (margin {rule.margin:.3g})")
    mom = np.array([float(r["mom"]) for r in res.results])
    return (f"AuxMOM needs fewer f-gradients than SGD at {int(np.sum(mom < 1))} of "
            f"{mom.size} points")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks sweeps")
    parser.add_argument("--quick", action="store_true", help="smaller workloads")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    _warm()
    workloads = _workloads(args.quick)
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # serial first, with no cluster alive: the scheduler's event loop lives in this
        # process and would slow the serial run down
        serial = [run_sweep(fn, units, None, ResultStore(os.path.join(tmp, f"s{k}")),
                            progress=False).raise_failures()
                  for k, (_, fn, units, _) in enumerate(workloads)]
        t0 = time.perf_counter()
        executor = get_executor("dask", scheduler="local", jobs=args.workers)
        startup = time.perf_counter() - t0
        with executor:
            t0 = time.perf_counter()
            executor.client.run(_warm)
            warm = time.perf_counter() - t0
            dask = [run_sweep(fn, units, executor, ResultStore(os.path.join(tmp, f"d{k}")),
                              progress=False).raise_failures()
                    for k, (_, fn, units, _) in enumerate(workloads)]
    for (name, _, _, desc), s_res, d_res in zip(workloads, serial, dask):
        same = _identical(s_res, d_res)
        rows.append([name, desc, s_res.seconds, d_res.seconds, s_res.seconds / d_res.seconds,
                     "yes" if same else "NO"])
        notes.append(f"{name}: {_summary(name, s_res)}")
    header = ["workload", "units", "serial s", f"dask {args.workers}w s", "throughput",
              "identical"]
    print(f"\n## sweeps: serial vs Dask LocalCluster ({args.workers} workers x 1 thread)"
          f"{' (quick)' if args.quick else ''}\nmachine: {machine()}")
    print(f"1-min load average at start: {load:.2f} (other users' processes share the cores)")
    cells = [header] + [[r[0], r[1], f"{r[2]:.2f}", f"{r[3]:.2f}", f"{r[4]:.2f}x", r[5]]
                        for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    for i, c in enumerate(cells):
        print("  ".join(v.rjust(w) for v, w in zip(c, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"cluster start-up {startup:.2f} s, worker warm-up {warm:.2f} s (not in the times)")
    for n in notes:
        print(n)
    return 0 if all(r[5] == "yes" for r in rows) else 1


if __name__ == "__main__":
    main()
