"""Compile (or load from the numba disk cache) every kernel once, on tiny inputs.

Each module with kernels defines ``_warmup()``; list it in ``MODULES``. The test suite calls
:func:`warm_up` once per session so compile time is paid up front and not inside timed runs.
"""

import importlib
import importlib.util
import time

MODULES = (
    "sketchopt.problems.logistic",
    "sketchopt.methods.baselines",
    "sketchopt.penalties",
    "sketchopt.oracles",
    "sketchopt.sketches",
    "sketchopt.methods.mast",
    "sketchopt.methods.auxinfo",
    "sketchopt.methods.spred",
    "sketchopt.methods.ramda",
)


def warm_up(verbose=False):
    """Run every module's ``_warmup()``; returns seconds spent per module."""
    spent = {}
    for name in MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        t0 = time.perf_counter()
        mod = importlib.import_module(name)
        if hasattr(mod, "_warmup"):
            mod._warmup()
        spent[name] = time.perf_counter() - t0
        if verbose:
            print(f"warm-up {name}: {spent[name]:.1f}s", flush=True)
    return spent
