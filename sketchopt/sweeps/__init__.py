"""Sweeps: many pure work units over one executor, with a resumable on-disk result store.

A *work unit* is a dict of keyword arguments (usually including ``seed``) for a module-level
function that depends on nothing else; its result is therefore the same on any executor and
machine, so it can be cached under a hash of the function name, the unit and the package
version, and a sweep that was interrupted resumes where it stopped.

>>> from sketchopt.sweeps import ResultStore, concat, get_executor, run_sweep, seed_blocks
>>> units = seed_blocks(1, n_runs=10**5, block_size=1000, d=10)   # 100 units   # doctest: +SKIP
>>> with get_executor("dask", scheduler="local", jobs=2) as ex:                  # doctest: +SKIP
...     out = run_sweep(my_block, units, ex, ResultStore())
>>> samples = concat(out.raise_failures().results, "err2")                       # doctest: +SKIP
"""

from .blocks import concat, seed_blocks
from .executors import Executor, UnitError, get_executor
from .progress import Progress
from .run import SweepResult, UnitFailure, run_sweep
from .store import ResultStore, default_cache_dir, unit_key

__all__ = ["seed_blocks", "concat", "Executor", "UnitError", "get_executor", "Progress",
           "SweepResult", "UnitFailure", "run_sweep", "ResultStore", "default_cache_dir",
           "unit_key"]
