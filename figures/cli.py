"""``python -m figures list|NAME|all [--quick] [--out DIR] [-j N]
[--executor serial|process|dask] [--scheduler local|tcp://host:port] [--cache DIR]``."""

import argparse
import fnmatch
import os
import sys
import time
from pathlib import Path

from sketchopt.sweeps.cli import add_executor_arguments, executor_from_args

from . import load


def _render(name, quick, out_dir, cache=None):
    """Render one figure in a worker; returns the written paths as strings.

    ``cache`` travels with the unit because a remote worker does not see this process's
    environment.
    """
    if cache:
        os.environ["SKETCHOPT_CACHE"] = cache
    t0 = time.perf_counter()
    paths = load()[name].func(quick=quick, out_dir=Path(out_dir))
    return {"paths": [str(p) for p in paths], "seconds": time.perf_counter() - t0}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m figures", description="Render figures.")
    parser.add_argument("names", nargs="*", default=["list"],
                        help="'list', 'all', figure names or globs (e.g. 'mast_*')")
    parser.add_argument("--quick", action="store_true", help="small runs (for tests)")
    parser.add_argument("--out", default="figures_out", help="output directory")
    add_executor_arguments(parser, "figures render",
                           " (--out and --cache must then be on a shared file system)")
    parser.add_argument("--cache", metavar="DIR",
                        help="data cache directory (default $SKETCHOPT_CACHE or "
                             "~/.cache/sketchopt)")
    args = parser.parse_args(argv)
    registry = load()
    if args.names == ["list"]:
        for fig in registry.values():
            print(f"{fig.name:<28} {fig.paper:<8} {fig.description}")
        return 0
    names = list(registry) if args.names == ["all"] else sorted(
        {n for pat in args.names for n in registry if fnmatch.fnmatch(n, pat)})
    missing = [p for p in args.names if p != "all" and not fnmatch.filter(registry, p)]
    if missing:
        print(f"unknown figure(s): {missing}; see 'python -m figures list'", file=sys.stderr)
        return 2
    cache = str(Path(args.cache).resolve()) if args.cache else None
    if cache:
        os.environ["SKETCHOPT_CACHE"] = cache  # local workers inherit it
    out = str(Path(args.out).resolve())
    executor = executor_from_args(parser, args)
    units = [{"name": n, "quick": args.quick, "out_dir": out, "cache": cache} for n in names]
    failed = 0
    with executor:
        for k, (i, ok, value) in enumerate(executor.map_units(_render, units), 1):
            if ok:
                print(f"[{k}/{len(names)}] {names[i]}: {', '.join(value['paths'])} "
                      f"({value['seconds']:.1f}s)", flush=True)
            else:
                failed += 1
                print(f"[{k}/{len(names)}] {names[i]}: FAILED {value}\n{value.traceback}",
                      file=sys.stderr, flush=True)
    return 1 if failed else 0
