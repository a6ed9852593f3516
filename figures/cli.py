"""``python -m figures list|NAME|all [--quick] [--out DIR] [-j N]
[--executor serial|process|dask] [--scheduler local|tcp://host:port] [--cache DIR]``."""

import argparse
import fnmatch
import os
import sys
import time
from pathlib import Path

from sketchopt.sweeps import get_executor

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
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="parallel workers (process pool, or a local Dask cluster)")
    parser.add_argument("--executor", choices=("serial", "process", "dask"),
                        help="where figures render (default: process if -j > 1, else serial; "
                             "dask if --scheduler is given)")
    parser.add_argument("--scheduler", metavar="local|tcp://HOST:PORT",
                        help="dask only: start a LocalCluster or connect to a scheduler "
                             "(--out and --cache must then be on a shared file system)")
    parser.add_argument("--cache", metavar="DIR",
                        help="data cache directory (default $SKETCHOPT_CACHE or "
                             "~/.cache/sketchopt)")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("-j must be >= 1")
    kind = args.executor or ("dask" if args.scheduler else
                             "process" if (args.jobs or 1) > 1 else "serial")
    if args.scheduler and kind != "dask":
        parser.error(f"--scheduler needs --executor dask (got --executor {kind})")
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
    try:
        # one claim/figure per task: they are few and their run times differ widely
        executor = get_executor(kind, jobs=args.jobs, batch=1,
                                scheduler=(args.scheduler or "local") if kind == "dask" else None)
    except (ImportError, ValueError) as exc:
        parser.error(str(exc))
    except OSError as exc:  # includes timeouts reaching a remote scheduler
        parser.error(f"cannot reach the Dask scheduler {args.scheduler}: {exc}")
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
