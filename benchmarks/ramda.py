"""RAMDA: steps per second of the run kernel and of the PG subproblem solver against their
NumPy twins, and PG (early stop) against the exact per-group root solver (ProxSSI's equation).

The paper reports ProxGen's PG about 3x faster than ProxSSI's Newton solver on a V100; here
both are CPU kernels. If PyTorch imports, RAMDA's run kernel is also timed against a
straightforward PyTorch implementation of the same update (``_torch_ramda``; CPU, float64, one
thread), after checking on 20 steps that both give the same iterates.
"""

import argparse

import numpy as np

from sketchopt.methods import ramda as R
from sketchopt.methods import ramda_subproblem as SP
from sketchopt.penalties import GroupL1

from ._common import best_time, print_table


def _data(N, d, gs, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    w = np.zeros(d)
    w[:d // 4] = rng.choice([-1.0, 1.0], d // 4)
    y = np.where(rng.random(N) < 1 / (1 + np.exp(-X @ w)), 1.0, -1.0)
    return X, y, GroupL1(0.02, gs, d=d, weights="sqrt")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks ramda")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    R._warmup()
    SP._warmup()
    T = 100 if args.quick else 400
    rows = []
    for d in ((100,) if args.quick else (100, 1000)):
        X, y, pen = _data(2000, d, 5)
        b = R.draw_batches(X.shape[0], T, 32, 1)
        for m, eta in (("ramda", 1e-2), ("rmda", 0.1), ("proxgen", 1e-2)):
            tk = best_time(lambda: R.run(m, X, y, pen, T, batches=b, eta=eta,
                                         stat_every=T), repeat=3)
            tt = best_time(lambda: R.run_twin(m, X, y, pen, b, eta, 0.1,
                                              1e-6 if m == "ramda" else 1e-8), repeat=1)
            rows.append([m, d, T / tk, T / tt, tt / tk])
    print_table("RAMDA run: steps/s, Numba kernel vs NumPy twin (batch 32, N = 2000)",
                ["method", "d", "kernel steps/s", "twin steps/s", "speed-up"], rows)

    rows = []
    rng = np.random.default_rng(2)
    for d in ((100,) if args.quick else (100, 1000, 10000)):
        pen = GroupL1(0.3, 5, d=d, weights="sqrt")
        groups = list(pen.groups)
        W0, V = rng.standard_normal(d), rng.standard_normal(d)
        P = np.sqrt(rng.uniform(1e-4, 1.0, d)) + 1e-8       # Adam-like spread of D
        pa = SP.penalty_arrays(pen, d)
        hist = np.empty((100, 2))
        scr = -np.ones(pa.n_groups)

        def pg():
            return SP.pg_kernel(W0, W0, V, P, 1e-2, pa.thr, pa.order, pa.ptr, 0, 1, d, 0, 0,
                                100, 1e-8, 0.0, scr, hist)

        def twin():
            return R._np_pg(W0, W0, V, P, 1e-2, pa.thr, groups, 100, 1e-8)

        def exact():
            return SP.exact_kernel(W0, V, P, 1e-2, pa.thr, pa.order, pa.ptr)
        it = pg()[1]
        tp, tt, te = best_time(pg), best_time(twin, repeat=2), best_time(exact)
        rows.append([d, it, 1 / tp, 1 / tt, tt / tp, 1 / te, te / tp])
    print_table("Subproblem solves/s: PG (code rule, per-group steps) vs NumPy twin vs exact "
                "root", ["d", "PG iters", "PG kernel/s", "PG twin/s", "kernel/twin",
                         "exact root/s", "exact time / PG time"], rows)
    try:
        import torch
    except ImportError:
        print("\nPyTorch is not installed: no PyTorch comparison.")
    else:
        _torch_table(torch, T, (100,) if args.quick else (100, 1000))
    return 0


def _torch_table(torch, T, dims, T_check=20):
    """RAMDA steps/s: Numba kernel vs the PyTorch version, same data and minibatches, after
    checking that the two give the same iterates on ``T_check`` steps."""
    from . import _torch_ramda as TR
    torch.set_num_threads(1)  # one thread, as BLAS is pinned elsewhere; the Numba kernel is serial
    rows = []
    for d in dims:
        X, y, pen = _data(2000, d, 5)
        b = R.draw_batches(X.shape[0], T_check, 32, 1)
        tr = R.run("ramda", X, y, pen, T_check, batches=b, eta=1e-2, stat_every=1)
        Ws, _, its = TR.ramda(X, y, pen, b, eta=1e-2, c=0.1, eps=1e-6)
        rel = np.abs(Ws - tr.x[1:]).max() / np.abs(tr.x[1:]).max()
        same_it = bool(np.array_equal(its, tr.stats["pg_iters"]))
        b = R.draw_batches(X.shape[0], T, 32, 1)
        TR.ramda(X, y, pen, b[:5])  # warm-up (the kernel's JIT is warmed up in main)
        tk = best_time(lambda: R.run("ramda", X, y, pen, T, batches=b, eta=1e-2,
                                     stat_every=T), repeat=3)
        tt = best_time(lambda: TR.ramda(X, y, pen, b, eta=1e-2, c=0.1, eps=1e-6), repeat=2)
        rows.append([d, T / tk, T / tt, tt / tk, f"{rel:.1e}", same_it])
    print_table(f"RAMDA run: steps/s, Numba kernel vs PyTorch {torch.__version__} (CPU, float64, "
                "batch 32, N = 2000)",
                ["d", "kernel steps/s", "torch steps/s", "kernel/torch",
                 f"max rel diff ({T_check} steps)", "same PG iters"], rows)
    print("PyTorch on one thread (torch.set_num_threads(1)); the Numba kernel is serial, so both "
          "use one core.\nWarm-up and JIT excluded. The kernel's time includes its per-step "
          "statistics (Q decrease,\nsupports), which the PyTorch version does not compute. "
          f"max rel diff = max |W_torch - W_numba| /\nmax |W_numba| over the first {T_check} "
          "iterates (same data and minibatches).")


if __name__ == "__main__":
    main()
