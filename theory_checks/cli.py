"""Command line: ``python -m theory_checks [--paper NAME] [--quick] [--json FILE] [-j N]
[--executor serial|process|dask] [--scheduler local|tcp://host:port] [--search
[--loose-table]] [--report DIR]``, and ``python -m theory_checks report RESULTS.json
[NEW.json] --out DIR``."""

import argparse
import fnmatch
import json
import os
import platform
import sys
import time

from sketchopt.sweeps import get_executor
from sketchopt.sweeps.cli import add_executor_arguments, executor_from_args

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


def run_claims(claims, quick=True, jobs=1, progress=True, stream=sys.stderr, executor=None):
    """Run claims on an executor; results in registry order.

    Parameters
    ----------
    claims : list of Claim
    quick : bool
        Short runs.
    jobs : int
        Used only when ``executor`` is None: a process pool when ``jobs > 1``, else serial.
    progress : bool
        One line per finished claim on ``stream``.
    executor : sketchopt.sweeps.Executor, optional
        Where claims run (serial, process pool or Dask); the caller closes it.
    """
    results = {}
    total = len(claims)

    t0 = time.perf_counter()

    def report(res):
        results[res["id"]] = res
        if progress:
            done = len(results)
            eta = (time.perf_counter() - t0) / done * (total - done)
            print(f"[{done:>3}/{total} ETA {eta:4.0f}s] {res['id']:<12} {res['verdict']:<4} "
                  f"{res['seconds']:6.2f}s  {res['note'][:60]}", file=stream, flush=True)

    own = executor is None
    if own:
        executor = get_executor("process" if jobs > 1 and total > 1 else "serial",
                                jobs=jobs)
    units = [{"claim_id": c.id, "quick": quick} for c in claims]
    try:
        for i, ok, value in executor.map_units(_run_one, units):
            report(value if ok else _lost(claims[i], value))
    finally:
        if own:
            executor.close()
    return [results[c.id] for c in claims]


def _lost(claim, err):
    """A claim whose worker died (``Claim.run`` itself never raises): a FAIL row."""
    return {"id": claim.id, "paper": claim.paper, "provenance": claim.provenance,
            "statement": claim.statement, "measured": None, "bound": None, "margin": None,
            "verdict": "FAIL", "note": f"error: {err}", "details": {"traceback": err.traceback},
            "seconds": 0.0, "broken": None}


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


def _run_record(args, results, elapsed, executor, argv):
    """What ``--json`` writes and the report reads: mode, run metadata, result rows."""
    from .report import run_metadata
    mode = "quick" if args.quick else "full"
    return {"mode": mode, "meta": run_metadata(mode, elapsed, executor, argv),
            "claims": results}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["report"]:  # the report subcommand: build the page from saved JSON
        from .report.cli import main as report_main
        return report_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m theory_checks",
                                     description="Check every claim against its bound.")
    parser.add_argument("--paper", action="append", choices=PAPERS,
                        help="restrict to one paper (repeatable)")
    parser.add_argument("--id", action="append", dest="ids", metavar="GLOB",
                        help="restrict to claim ids matching GLOB (repeatable)")
    parser.add_argument("--quick", action="store_true", help="short runs (<= 5 s per claim)")
    parser.add_argument("--json", metavar="FILE", help="write results as JSON")
    parser.add_argument("--report", metavar="DIR",
                        help="also run each claim's broken variants and write an HTML report "
                             "to DIR/index.html (see also: report JSON... --out DIR)")
    add_executor_arguments(parser, "claims")
    parser.add_argument("--list", action="store_true", help="list claims and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--search", action="store_true",
                        help="adversarial instance search: the worst measured/bound ratio "
                             "found over each claim's instance space (theory_checks.search); "
                             "with --report the report shows the search results")
    parser.add_argument("--loose-table", action="store_true",
                        help="with --search: print the Markdown table of the bounds loose by "
                             "more than 10x at the worst instance found")
    args = parser.parse_args(argv)
    claims = select(args.paper, args.ids)
    if args.list:
        for c in claims:
            print(f"{c.id:<12} {c.paper:<8} {c.provenance:<14} {c.statement}")
        print(f"\n{len(claims)} claims")
        return 0
    if not claims:
        print("no claim matches the selection", file=sys.stderr)
        return 2
    if args.search:
        from .search.cli import run as run_search
        return run_search(parser, args, claims, argv)
    t0 = time.perf_counter()
    executor = executor_from_args(parser, args)
    with executor:
        results = run_claims(claims, quick=args.quick, progress=not args.quiet,
                             executor=executor)
        elapsed = time.perf_counter() - t0
        if args.report:
            from .report import run_broken_variants
            run_broken_variants(claims, results, args.quick, executor,
                                progress=not args.quiet)
        run = _run_record(args, results, elapsed, executor, argv)
        if args.report:
            from .report import build_report
            index = build_report(run, args.report, executor=executor,
                                 progress=not args.quiet)
    print_table(results)
    print(f"total {elapsed:.1f}s on {platform.machine()} ({os.cpu_count()} cpus), "
          f"{'quick' if args.quick else 'full'} mode, executor {executor.kind}, -j {executor.jobs}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(run, fh, indent=1)
    if args.report:
        print(f"report: {index}")
    return 1 if any(r["verdict"] == "FAIL" for r in results) else 0
