"""The figures that illustrate each claim (``@figure(..., claims=...)``), copied into a report.

A figure's PNG is taken from an existing output folder of ``python -m figures`` when it is
there, and otherwise rendered in quick mode (its data come from the figure cache when
present, so this is fast after the first time).
"""

import shutil
import sys
from pathlib import Path


def figures_by_claim(claim_ids=None):
    """``{claim id: [Figure, ...]}`` from the figure registry, restricted to ``claim_ids``."""
    import figures
    out = {}
    for fig in figures.load().values():
        for cid in fig.claims:
            if claim_ids is None or cid in claim_ids:
                out.setdefault(cid, []).append(fig)
    return out


def collect_figures(claim_ids, out_dir, source=None, executor=None, progress=True,
                    stream=sys.stderr):
    """Put the PNG of every figure illustrating ``claim_ids`` into ``out_dir/figures``.

    Parameters
    ----------
    claim_ids : iterable of str
    out_dir : Path
        The report folder.
    source : str or Path, optional
        A folder of PNGs written by ``python -m figures`` (e.g. ``figures_out``); a figure
        found there is copied, not re-rendered.
    executor : sketchopt.sweeps.Executor, optional
        Where missing figures render (serial in this process when None).

    Returns
    -------
    dict
        ``{figure name: {"path": relative path or None, "origin": str, "error": str|None,
        "figure": Figure}}``.
    """
    from figures.cli import _render
    wanted = {f.name: f for figs in figures_by_claim(set(claim_ids)).values() for f in figs}
    dest = Path(out_dir) / "figures"
    dest.mkdir(parents=True, exist_ok=True)
    info, todo = {}, []
    for name, fig in sorted(wanted.items()):
        found = Path(source) / f"{name}.png" if source else None
        if found is not None and found.exists():
            shutil.copyfile(found, dest / f"{name}.png")
            info[name] = {"path": f"figures/{name}.png", "origin": f"copied from {source}",
                          "error": None, "figure": fig}
        else:
            todo.append(name)
    if not todo:
        return info
    # render into a scratch folder, keep only the PNGs (the PDFs are not shown)
    scratch = dest / ".render"
    units = [{"name": n, "quick": True, "out_dir": str(scratch.resolve())} for n in todo]
    if executor is None:
        from sketchopt.sweeps import get_executor
        executor = get_executor("serial")
    for i, ok, value in executor.map_units(_render, units):
        name = todo[i]
        png = scratch / f"{name}.png"
        if ok and png.exists():
            shutil.move(str(png), dest / f"{name}.png")
            info[name] = {"path": f"figures/{name}.png", "origin": "rendered in quick mode",
                          "error": None, "figure": wanted[name]}
        else:
            info[name] = {"path": None, "origin": "not rendered", "figure": wanted[name],
                          "error": str(value) if not ok else "no PNG written"}
        if progress:
            print(f"figure {name}: {info[name]['origin']}", file=stream, flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return info
