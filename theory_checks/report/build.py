"""Write a report folder: index.html, the claims' plots, their figures and the results."""

import json
import sys
from pathlib import Path

from .diff import compare_runs
from .figs import collect_figures
from .html import render_page
from .plots import plot_claim


def load_run(path):
    """Read a results file written by ``python -m theory_checks --json``.

    Returns
    -------
    dict
        With at least ``claims``; ``source`` is set to the file name.
    """
    path = Path(path)
    try:
        run = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read results file {path}: {exc}") from exc
    if not isinstance(run, dict) or not isinstance(run.get("claims"), list):
        raise ValueError(f"{path} is not a theory_checks results file (no 'claims' list)")
    run.setdefault("source", path.name)
    return run


def _declared_variants(ids):
    """Broken variants declared in the registry, for runs that did not run them."""
    from theory_checks import REGISTRY, load
    load()
    return {cid: REGISTRY[cid].broken for cid in ids if cid in REGISTRY}


def build_report(run, out_dir, baseline=None, figures=True, figures_from="figures_out",
                 executor=None, progress=True, stream=sys.stderr):
    """Write the static report of ``run`` to ``out_dir``; returns the path of index.html.

    Parameters
    ----------
    run : dict
        Results as written by ``--json`` (``claims``, optionally ``meta`` and ``mode``).
    out_dir : str or Path
        Created if needed; holds ``index.html``, ``plots/``, ``figures/``, ``results.json``.
    baseline : dict, optional
        An earlier run; the page then starts with what changed since it.
    figures : bool
        Embed the figures that illustrate the claims (rendered in quick mode when no PNG is
        found in ``figures_from``).
    figures_from : str or Path, optional
        Folder of existing PNGs from ``python -m figures``; skipped if it does not exist.
    executor : sketchopt.sweeps.Executor, optional
        Where missing figures render.
    """
    out = Path(out_dir)
    (out / "plots").mkdir(parents=True, exist_ok=True)
    rows = run["claims"]
    ids = [r["id"] for r in rows]
    plots = {}
    for r in rows:
        try:
            if plot_claim(r, out / "plots" / f"{r['id']}.png"):
                plots[r["id"]] = f"plots/{r['id']}.png"
        except Exception as exc:  # a plot must never cost the report; say what went wrong
            print(f"plot of {r['id']} failed: {type(exc).__name__}: {exc}", file=stream)
    by_claim = {}
    if figures:
        src = figures_from if figures_from and Path(figures_from).is_dir() else None
        info = collect_figures(ids, out, source=src, executor=executor, progress=progress,
                               stream=stream)
        for name, f in sorted(info.items()):
            for cid in f["figure"].claims:
                by_claim.setdefault(cid, []).append((name, f))
    diff = compare_runs(baseline, run) if baseline is not None else None
    page = render_page(run, by_claim, plots, diff,
                       baseline_name=(baseline or {}).get("source", "the baseline run"),
                       declared=_declared_variants(ids))
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    # the data behind the page, so the report can be rebuilt or compared later
    (out / "results.json").write_text(json.dumps(
        {k: v for k, v in run.items() if k != "source"}, indent=1))
    return index
