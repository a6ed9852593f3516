"""Command line: ``python -m theory_checks [--paper NAME] [--quick] [--json FILE] [-j N]``."""

import argparse
import fnmatch
import json
import multiprocessing as mp
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from . import PAPERS, REGISTRY, load

COLUMNS = ("id", "paper", "provenance", "verdict", "measured", "bound", "margin", "seconds")


def _run_one(claim_id, quick):
    load()
    return REGISTRY[claim_id].run(quick=quick)


def _fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def select(papers=None, patterns=None):
    """Claims of the given papers whose id matches one of the glob ``patterns``."""
    claims = load(papers)
    if patterns:
        claims = [c for c in claims if any(fnmatch.fnmatch(c.id, p) for p in patterns)]
    return claims


def run_claims(claims, quick=True, jobs=1, progress=True, stream=sys.stderr):
    """Run claims (in a process pool when ``jobs > 1``); results in registry order."""
    results = {}
    total = len(claims)

    def report(res):
        results[res["id"]] = res
        if progress:
            print(f"[{len(results):>3}/{total}] {res['id']:<12} {res['verdict']:<4} "
                  f"{res['seconds']:6.2f}s  {res['note'][:70]}", file=stream, flush=True)

    if jobs <= 1 or total <= 1:
        for c in claims:
            report(c.run(quick=quick))
    else:
        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = [pool.submit(_run_one, c.id, quick) for c in claims]
            for f in as_completed(futures):
                report(f.result())
    return [results[c.id] for c in claims]


def print_table(results, stream=sys.stdout, width=60):
    """Print the claim table: id, paper, provenance, statement, measured, bound, margin."""
    rows = [(r["id"], r["paper"], r["provenance"], r["verdict"], _fmt(r["measured"]),
             _fmt(r["bound"]), _fmt(r["margin"]), f"{r['seconds']:.2f}",
             r["statement"][:width]) for r in results]
    head = COLUMNS + ("statement",)
    widths = [max(len(h), *(len(row[k]) for row in rows)) for k, h in enumerate(head)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line, file=stream)
    print("-" * len(line), file=stream)
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)), file=stream)
    counts = {v: sum(r["verdict"] == v for r in results) for v in ("PASS", "FAIL", "INFO")}
    print(f"\n{counts['PASS']} passed, {counts['FAIL']} failed, {counts['INFO']} info",
          file=stream)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m theory_checks",
                                     description="Check every claim against its bound.")
    parser.add_argument("--paper", action="append", choices=PAPERS,
                        help="restrict to one paper (repeatable)")
    parser.add_argument("--id", action="append", dest="ids", metavar="GLOB",
                        help="restrict to claim ids matching GLOB (repeatable)")
    parser.add_argument("--quick", action="store_true", help="short runs (<= 5 s per claim)")
    parser.add_argument("--json", metavar="FILE", help="write results as JSON")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="parallel processes")
    parser.add_argument("--list", action="store_true", help="list claims and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("-j must be >= 1")
    claims = select(args.paper, args.ids)
    if args.list:
        for c in claims:
            print(f"{c.id:<12} {c.paper:<8} {c.provenance:<14} {c.statement}")
        print(f"\n{len(claims)} claims")
        return 0
    if not claims:
        print("no claim matches the selection", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    results = run_claims(claims, quick=args.quick, jobs=args.jobs, progress=not args.quiet)
    print_table(results)
    elapsed = time.perf_counter() - t0
    print(f"total {elapsed:.1f}s on {platform.machine()} ({os.cpu_count()} cpus), "
          f"{'quick' if args.quick else 'full'} mode, -j {args.jobs}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"mode": "quick" if args.quick else "full", "claims": results}, fh,
                      indent=1)
    return 1 if any(r["verdict"] == "FAIL" for r in results) else 0
