"""AuxMOM / AuxMVR / first-order kernels against their NumPy twins (same draws, one process).

The raw kernel calls are timed (not the public wrappers, which add a full-gradient norm per
iterate for the trace). Times exclude JIT compilation (every kernel runs once before timing);
``ratio`` is the twin's time divided by the kernel's. ``--quick`` uses fewer steps, one repeat.
"""

import argparse

import numpy as np

from benchmarks._common import best_time, print_table
from sketchopt.methods import auxinfo as ax
from sketchopt.methods.auxinfo_noise import NoiseModel
from sketchopt.problems.pairs import (kernel_spec, logistic_pair, n_samples,
                                      random_quadratic_pair)


def _cases(T):
    quad = random_quadratic_pair(50, 0.5, bias=1.0, seed=0)
    logi = logistic_pair("flipped", n=2000, d=20, seed=0)
    return [("quadratic d=50, additive", quad, NoiseModel.additive(0.3, 0.3, 0.9)),
            ("logistic n=2000 d=20, batch 32 shared", logi, NoiseModel.minibatch(32, shared=True)),
            ("logistic n=2000 d=20, full batch", logi, NoiseModel.exact())]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks auxinfo")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    T, K = (50, 5) if args.quick else (200, 10)
    repeat = 1 if args.quick else 3
    rows = []
    for label, pair, nm in _cases(T):
        draws = nm.draw(T, K, pair.d, n_samples(pair.f), n_samples(pair.h), seed=1)
        x0 = np.zeros(pair.d)
        for name, code, method in (("AuxMOM V1", ax.AUXMOM, "mom"),
                                   ("AuxMVR V2", ax.AUXMVR, "mvr")):
            variant = "V1" if method == "mom" else "V2"
            kargs = (code, ax.VARIANTS[variant], False, False, *kernel_spec(pair.f),
                     *kernel_spec(pair.h), x0, 0.05, 0.5, K, draws.nf, draws.nh, draws.nhi,
                     draws.rf, draws.rh, draws.rhi, False)
            kern = lambda: ax._aux_kernel(*kargs)  # noqa: E731
            twin = lambda: ax.aux_twin(pair, x0, 0.05, K, 0.5, draws, method,  # noqa: E731
                                       variant)
            kern()
            tk = best_time(kern, repeat)
            tt = best_time(twin, repeat)
            rows.append([label, f"{name}, T={T}, K={K}", tk * 1e3, tt * 1e3, tt / tk])
        nz, rr = nm.draw_single(T * K, pair.d, n_samples(pair.f), "f", seed=2)
        rr = np.ascontiguousarray(rr, dtype=np.int64)
        kern = lambda: ax._first_order_kernel(*kernel_spec(pair.f), x0, 0.05, 0.5,  # noqa: E731
                                              True, False, nz, rr)
        twin = lambda: ax.first_order_twin(pair.f, x0, 0.05, 0.5, nz, rr, True)  # noqa: E731
        kern()
        tk, tt = best_time(kern, repeat), best_time(twin, repeat)
        rows.append([label, f"STORM on f, {T * K} steps", tk * 1e3, tt * 1e3, tt / tk])
    print_table("auxinfo: Numba kernels vs NumPy twins (same draws)",
                ["problem / noise", "method", "kernel ms", "twin ms", "ratio"], rows)
    return 0


if __name__ == "__main__":
    main()
