"""``python -m theory_checks --search [--paper P] [--id GLOB] [--quick] [--json F] [-j N]
[--report DIR] [--loose-table]``: search every selected claim that declares an instance space
and print, per claim, the fixed-instance ratio, the worst ratio found, the instance, the
evaluations and the verdict. With ``--report DIR`` the claims and their broken variants run
too and the HTML report shows each searched claim's ``search`` record; ``--loose-table``
prints the Markdown table of the bounds loose by more than 10x (the README's)."""

import json
import os
import platform
import sys
import time

from sketchopt.sweeps.cli import executor_from_args

from . import FoundStore, excluded, load_spaces, result_store, search
from ._run import search_dir

NOT_A_BOUND = "not an inequality claim (an identity, a trend or a structural check)"
LOOSE = 0.1  # worst ratio below this: the bound is loose by more than 10x (README table)


def tightness(worst):
    """How far the bound sits above the worst measured value: ``tight`` (ratio >= 0.9), or
    ``loose x F`` with ``F = 1 / worst ratio``."""
    if worst is None or worst <= 0:
        return "-"
    return "tight" if worst >= 0.9 else f"loose x{1 / worst:.3g}"


def rows_for(claims, results):
    """JSON rows: the claim's identity, the search verdict and record, and the details."""
    by_id = {c.id: c for c in claims}
    sp = load_spaces()
    out = []
    for r in results:
        c = by_id[r["id"]]
        worst = r["search"]["worst_ratio"] if r["search"] else None
        out.append({"id": c.id, "paper": c.paper, "provenance": c.provenance,
                    "statement": c.statement, "verdict": r["verdict"],
                    "tightness": tightness(worst), "search": r["search"],
                    "search_details": {"mode": r["mode"], "variant": r["variant"],
                                       "fixed_violated": r.get("fixed_violated"),
                                       "space": sp[c.id].note,
                                       "parameters": [p.name for p in sp[c.id].params],
                                       "errors": r.get("errors", [])}})
    return out


def _fmt(x):
    return "-" if x is None else f"{x:.4g}"


def print_rows(rows, stream=None):
    """The search table, then each claim's worst instance (all parameters), on ``stream``
    (default: the current ``sys.stdout``)."""
    stream = sys.stdout if stream is None else stream
    head = ("id", "paper", "provenance", "verdict", "fixed", "worst", "evals", "tightness")
    table = [(r["id"], r["paper"], r["provenance"], r["verdict"],
              _fmt(r["search"] and r["search"]["fixed_ratio"]),
              _fmt(r["search"] and r["search"]["worst_ratio"]),
              str(r["search"]["evaluations"]) if r["search"] else "-", r["tightness"])
             for r in rows]
    widths = [max(len(h), *(len(t[k]) for t in table)) for k, h in enumerate(head)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line, file=stream)
    print("-" * len(line), file=stream)
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)), file=stream)
    print("\nworst instances (ratio measured/bound; parameters as declared by each space):",
          file=stream)
    for r in rows:
        s = r["search"]
        if s is None:
            print(f"  {r['id']}: no result: {r['search_details']['errors']}", file=stream)
            continue
        inst = ", ".join(f"{k}={_short(v)}" for k, v in (s["worst_instance"] or {}).items())
        print(f"  {r['id']} ({_fmt(s['worst_ratio'])}): {inst}", file=stream)
    n_fail = sum(r["verdict"] == "FAIL" for r in rows)
    print(f"\n{len(rows) - n_fail} passed, {n_fail} failed (FAIL: an instance violates its "
          "bound beyond the CLAIMS.md tolerance)", file=stream)


def _short(v):
    if isinstance(v, list):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def loose_table(rows, threshold=LOOSE):
    """Markdown table of the searched claims whose worst ratio is below ``threshold`` (bounds
    loose by more than ``1/threshold`` even at the worst instance found), loosest first."""
    loose = sorted((r for r in rows if r["search"] and r["verdict"] == "PASS"
                    and 0 < r["search"]["worst_ratio"] < threshold),
                   key=lambda r: r["search"]["worst_ratio"])
    lines = ["| claim | provenance | worst ratio found | loose by | fixed-instance ratio |",
             "|---|---|---|---|---|"]
    for r in loose:
        s = r["search"]
        lines.append(f"| {r['id']} | {r['provenance']} | {s['worst_ratio']:.3g} | "
                     f"{1 / s['worst_ratio']:.3g}x | {_fmt(s['fixed_ratio'])} |")
    return "\n".join(lines)


def _keep_last(doc, mode):
    """Merge this run's rows into ``search_dir()/last-<mode>.json`` (what the tightness figure
    reads), replacing rows of the same claim."""
    path = search_dir() / f"last-{mode}.json"
    try:
        old = {r["id"]: r for r in json.loads(path.read_text())["claims"]}
    except (OSError, ValueError, KeyError):
        old = {}
    old.update({r["id"]: r for r in doc["claims"]})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"mode": mode, "claims": list(old.values())}, indent=1))
    os.replace(tmp, path)


def _report(args, claims, rows, elapsed, executor, argv):
    """Run the claims and their broken variants, attach each searched claim's ``search``
    record to its result row and write the HTML report; returns the claim rows."""
    from ..cli import _run_record, run_claims
    from ..report import build_report, run_broken_variants
    results = run_claims(claims, quick=args.quick, progress=not args.quiet, executor=executor)
    run_broken_variants(claims, results, args.quick, executor, progress=not args.quiet)
    found = {r["id"]: r["search"] for r in rows if r["search"] is not None}
    for res in results:
        if res["id"] in found:
            res["search"] = found[res["id"]]
    run = _run_record(args, results, elapsed, executor, argv or [])
    index = build_report(run, args.report, executor=executor, progress=not args.quiet)
    png = index.parent / "figures" / "tightness.png"
    if png.exists():  # it may have been copied from an older figures folder: this run's
        from figures.tightness import plot
        plot(rows, png.parent, formats=("png",))
    print(f"report: {index}")
    return results


def run(parser, args, claims, argv=None):
    """Search the selected ``claims``; returns the exit code (1 if a bound is violated, or
    with ``--report`` if a claim fails)."""
    papers = sorted({c.paper for c in claims})
    spaces = load_spaces(papers)
    left_out = excluded(papers)
    todo = [c for c in claims if c.id in spaces]
    skipped = [c for c in claims if c.id not in spaces]
    if not todo:
        print("no selected claim declares a search space", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    executor = executor_from_args(parser, args)
    with executor:
        results = search([c.id for c in todo], quick=args.quick, executor=executor,
                         store=result_store(), found=FoundStore(), progress=not args.quiet)
    rows = rows_for(todo, results)
    print_rows(rows)
    if skipped:
        print(f"\nnot searched ({len(skipped)}):")
        for c in skipped:
            print(f"  {c.id}: {left_out.get(c.id, NOT_A_BOUND)}")
    elapsed = time.perf_counter() - t0
    mode = "quick" if args.quick else "full"
    print(f"searched {len(rows)} claims in {elapsed:.1f}s on {platform.machine()} "
          f"({os.cpu_count()} cpus), {mode} mode, executor {executor.kind}, -j {executor.jobs}")
    doc = {"mode": mode, "search": True, "seconds": elapsed, "claims": rows,
           "not_searched": {c.id: left_out.get(c.id, NOT_A_BOUND) for c in skipped}}
    _keep_last(doc, mode)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(doc, fh, indent=1)
    if getattr(args, "loose_table", False):
        print(f"\nbounds loose by more than {1 / LOOSE:g}x at the worst instance found "
              f"({mode} search):\n")
        print(loose_table(rows))
    failed = any(r["verdict"] == "FAIL" for r in rows)
    if getattr(args, "report", None):
        with executor_from_args(parser, args) as executor:
            results = _report(args, claims, rows, elapsed, executor, argv)
        failed |= any(r["verdict"] == "FAIL" for r in results)
    return 1 if failed else 0
