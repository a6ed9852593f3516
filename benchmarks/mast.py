"""MAST speed: DSGD step cost against d and K, Numba kernels against their NumPy twins, and the
exact moment engine at d = 12.

1. Time per DSGD step (Rand-K, quadratic) for d in {100, 500, 2000} and K in {1, 10, 100}: a
   step touches K coordinates and K^2 entries of A, so the time should grow with K, not d.
2. Kernel vs NumPy twin on the same draws at d = 100 (DSGD on a quadratic, K = 10; DSGD on
   logistic regression, n = 500, K = 10): the design target is a ratio >= 20.
3. Exact E||x_t - x*_D||^2 for 1000 DSGD steps at d = 12 with a Bernoulli sketch (2^12
   outcomes): target under 1 s, outcome enumeration and operator build included.

Times exclude JIT compilation (every kernel runs once before timing). ``--quick`` uses fewer
steps and one repeat.
"""

import argparse
import time

import numpy as np

from benchmarks._common import best_time, print_table
from sketchopt.methods import mast
from sketchopt.methods.mast_exact import dsgd_exact
from sketchopt.oracles import mast_quadratic
from sketchopt.problems import gaussian_spd
from sketchopt.sketches import Bernoulli, RandK, as_index_sets


def _quad(d, seed=0):
    rng = np.random.default_rng(seed)
    A = gaussian_spd(d, 0.5, seed=rng)
    return A, rng.standard_normal(d), rng.standard_normal(d)


def _dsgd_kernel_call(A, b, v, sk, T, seed=0):
    """The DSGD kernel on pre-drawn index sets (sampling excluded from the timing)."""
    idx, cnt = as_index_sets(sk, T, seed)
    args = (A[None], (A @ v - b)[None], v, np.zeros(A.shape[0]),
            0.1 / (np.linalg.norm(A, 2) * sk.L_S_max), sk.scale[None],
            np.ascontiguousarray(idx[:, None, :]), np.ascontiguousarray(cnt[:, None]), T)
    return lambda: mast._sketched_quadratic_run(*args), (idx, cnt)


def step_scaling(T, repeat):
    rows = []
    for d in (100, 500, 2000):
        A, b, v = _quad(d)
        for K in (1, 10, 100):
            fn, _ = _dsgd_kernel_call(A, b, v, RandK(d, K), T)
            fn()
            rows.append([d, K, best_time(fn, repeat) / T * 1e9])
    print_table("DSGD time per step (Rand-K, quadratic kernel)", ["d", "K", "ns/step"], rows)


def kernel_vs_twin(T, repeat):
    d, K = 100, 10
    A, b, v = _quad(d, 1)
    sk = RandK(d, K)
    fn, (idx, cnt) = _dsgd_kernel_call(A, b, v, sk, T, seed=2)
    fn()
    vals = sk.values_from_indices(idx, cnt)[:, None, :]
    step = 0.1 / (np.linalg.norm(A, 2) * sk.L_S_max)
    t_k = best_time(fn, repeat)
    t_t = best_time(lambda: mast.sketched_quadratic_twin(A[None], b[None], v, np.zeros(d), step,
                                                         vals), repeat)
    rows = [["DSGD quadratic", d, K, T, t_k * 1e3, t_t * 1e3, t_t / t_k]]

    n = 500
    rng = np.random.default_rng(3)
    X = rng.standard_normal((n, d))
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    idx, cnt = as_index_sets(sk, T, 4)
    ZT = np.ascontiguousarray(X.T)
    args = (ZT, y, 0.01, np.zeros(d), np.zeros(n), np.zeros(d), 0.01, sk.scale, idx, cnt,
            np.zeros((T, 0), dtype=np.int64), T)
    run = lambda: mast._sketched_logistic_run(*args)  # noqa: E731
    run()
    lvals = sk.values_from_indices(idx, cnt)
    t_k = best_time(run, repeat)
    t_t = best_time(lambda: mast.sketched_logistic_twin(X, y, 0.01, np.zeros(d), np.zeros(d),
                                                        0.01, lvals), repeat)
    Tl = T
    rows.append([f"DSGD logistic (n={n})", d, K, Tl, t_k * 1e3, t_t * 1e3, t_t / t_k])
    print_table("Numba kernel vs NumPy twin (same draws)",
                ["method", "d", "K", "steps", "kernel ms", "twin ms", "ratio"], rows)


def exact_engine(repeat):
    d = 12
    A, b, v = _quad(d, 5)
    sk = Bernoulli(np.linspace(0.3, 0.9, d))
    mq = mast_quadratic(A, b, v, sk)
    step = 0.5 / (mq.L_f * mq.L_S_max)
    t0 = time.perf_counter()
    dsgd_exact(mq, np.zeros(d), step, 1000)
    first = time.perf_counter() - t0
    best = best_time(lambda: dsgd_exact(mq, np.zeros(d), step, 1000), repeat, min_time=0.0)
    print_table("Exact engine: E||x_t - x*_D||^2, E f_D - f_D^inf, E||grad f_D||^2",
                ["d", "outcomes", "steps", "first call s", "best s", "target s"],
                [[d, sk.n_outcomes, 1000, first, best, 1.0]])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks mast")
    parser.add_argument("--quick", action="store_true", help="fewer steps, one repeat")
    args = parser.parse_args(argv)
    T, repeat = (2000, 1) if args.quick else (20000, 5)
    step_scaling(T, repeat)
    kernel_vs_twin(T // 10 if args.quick else 2000, repeat)
    exact_engine(repeat)
    return 0
