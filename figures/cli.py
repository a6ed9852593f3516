"""``python -m figures list|NAME|all [--quick] [--out DIR]``."""

import argparse
import fnmatch
import sys
import time
from pathlib import Path

from . import load


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m figures", description="Render figures.")
    parser.add_argument("names", nargs="*", default=["list"],
                        help="'list', 'all', figure names or globs (e.g. 'mast_*')")
    parser.add_argument("--quick", action="store_true", help="small runs (for tests)")
    parser.add_argument("--out", default="figures_out", help="output directory")
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
    out = Path(args.out)
    for k, name in enumerate(names, 1):
        t0 = time.perf_counter()
        paths = registry[name].func(quick=args.quick, out_dir=out)
        print(f"[{k}/{len(names)}] {name}: {', '.join(str(p) for p in paths)} "
              f"({time.perf_counter() - t0:.1f}s)", flush=True)
    return 0
