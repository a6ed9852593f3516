"""Run every declared broken variant of the selected claims, for the report's sections."""

import sys
import time


def _run_variant(claim_id, quick, broken):
    # a module-level function: executors ship it to worker processes by name
    from theory_checks import REGISTRY, load
    load()
    res = REGISTRY[claim_id].run(quick=quick, broken=broken)
    return {"variant": broken, "verdict": res["verdict"], "measured": res["measured"],
            "bound": res["bound"], "margin": res["margin"], "note": res["note"],
            "seconds": res["seconds"]}


def run_broken_variants(claims, results, quick, executor, progress=True, stream=sys.stderr):
    """Run each claim's broken variants and store them in its result row.

    Each row of ``results`` gets ``broken_runs``: one dict per declared variant (``variant,
    verdict, measured, bound, margin, note, seconds``) in declaration order. A variant is
    caught when its verdict is FAIL without a crash.

    Parameters
    ----------
    claims : list of Claim
        The claims that were run (their ``broken`` tuples are the variants).
    results : list of dict
        Their result rows, modified in place.
    quick : bool
        Mode of the variants' runs (the same as the claims').
    executor : sketchopt.sweeps.Executor
        Where the variants run.
    progress : bool
        One line per finished variant on ``stream``.
    """
    units = [{"claim_id": c.id, "quick": quick, "broken": b} for c in claims for b in c.broken]
    rows = {r["id"]: r for r in results}
    for r in rows.values():
        r["broken_runs"] = []
    got = {}
    t0 = time.perf_counter()
    for k, (i, ok, value) in enumerate(executor.map_units(_run_variant, units), 1):
        unit = units[i]
        if not ok:  # the worker died: record it, it is not a catch
            value = {"variant": unit["broken"], "verdict": "FAIL", "measured": None,
                     "bound": None, "margin": None, "note": f"error: {value}", "seconds": 0.0}
        got[(unit["claim_id"], unit["broken"])] = value
        if progress:
            print(f"[{k:>3}/{len(units)} broken {time.perf_counter() - t0:4.0f}s] "
                  f"{unit['claim_id']:<12} {unit['broken']:<28} {value['verdict']}",
                  file=stream, flush=True)
    for c in claims:
        rows[c.id]["broken_runs"] = [got[(c.id, b)] for b in c.broken]
    return results
