"""Shared timing helpers: machine description, best-of-n timing, ratio tables."""

import os
import platform
import time

import numpy as np


def machine():
    """One line naming the machine and the library versions."""
    import numba
    import scipy
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
            f"numpy {np.__version__}, scipy {scipy.__version__}, numba {numba.__version__}")


def best_time(fn, repeat=5, min_time=0.05):
    """Best wall time of ``fn()`` over ``repeat`` rounds (each round loops to ``min_time``)."""
    best = np.inf
    for _ in range(repeat):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_time:
                break
        best = min(best, elapsed / n)
    return best


def print_table(title, header, rows):
    """Print a fixed-width table with a title and the machine line."""
    print(f"\n## {title}\nmachine: {machine()}")
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    for i, r in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(c):
    if isinstance(c, float):
        return f"{c:.3g}"
    return str(c)
