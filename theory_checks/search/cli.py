"""``python -m theory_checks --search [--paper P] [--id GLOB] [--quick] [--json F] [-j N]``:
search every selected claim that declares an instance space and print, per claim, the
fixed-instance ratio, the worst ratio found, the instance, the evaluations and the verdict."""

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


def print_rows(rows, stream=sys.stdout):
    """The search table, then each claim's worst instance (all parameters)."""
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


def run(parser, args, claims):
    """Search the selected ``claims``; returns the exit code (1 if a bound is violated)."""
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
    return 1 if any(r["verdict"] == "FAIL" for r in rows) else 0
