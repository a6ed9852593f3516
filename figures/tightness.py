"""Tightness of every searched bound: the worst measured/bound ratio the adversarial search
found beside the ratio on the claim's fixed instances (log scale, grouped by paper).

The data are the results of ``python -m theory_checks --search`` (``last-<mode>.json`` in the
search folder, merged over runs). Without stored results, quick mode runs restart 0 of every
space with a small budget (the fixed instances plus a short local search) and says so in the
title; full mode runs the quick search (its restarts go to the search result store).
"""

import json

import numpy as np

from ._registry import figure, new_figure, save

NAME = "tightness"
SHORT_BUDGET = 10  # evaluations after the fixed instances, quick mode without stored results
FLOOR, CEIL = 1e-6, 1e2  # plotted range of ratios (values beyond are drawn at the edge)


def _searched_ids():
    from theory_checks.search import load_spaces
    return tuple(sorted(load_spaces()))


def _stored(mode):
    from theory_checks.search._run import search_dir
    try:
        doc = json.loads((search_dir() / f"last-{mode}.json").read_text())
    except (OSError, ValueError):
        return None
    rows = [r for r in doc.get("claims", []) if r.get("search")]
    return rows or None


def _short_search():
    """Restart 0 of every space (fixed instances, then a short Nelder-Mead)."""
    from theory_checks import REGISTRY, load
    from theory_checks.search import restart_unit
    from theory_checks.search._engine import merge
    load()
    rows = []
    for cid in _searched_ids():
        res = restart_unit(cid, 0, True, start="fixed", budget=SHORT_BUDGET)
        c = REGISTRY[cid]
        rows.append({"id": cid, "paper": c.paper, "provenance": c.provenance,
                     **merge(cid, [res], True)})
    return rows


def _full_search():
    from theory_checks import load
    from theory_checks.search import FoundStore, result_store, search
    from theory_checks.search.cli import rows_for
    ids = _searched_ids()
    claims = [c for c in load() if c.id in ids]
    return rows_for(claims, search(list(ids), quick=True, store=result_store(),
                                   found=FoundStore(), progress=False))


def search_rows(quick):
    """``(rows, source)``: stored search results (the mode's own first), else computed."""
    for mode in (("quick", "full") if quick else ("full", "quick")):
        rows = _stored(mode)
        if rows:
            return rows, f"{mode} search"
    if quick:
        return _short_search(), (f"fixed instances + {SHORT_BUDGET} evaluations (no stored "
                                 "search: run python -m theory_checks --search)")
    return _full_search(), "quick search"


def plot(rows, out_dir, formats=("png", "pdf"), source=""):
    """Draw the tightness figure of search ``rows`` (``id, paper, search``) into ``out_dir``."""
    from theory_checks.search import PAPERS
    order = {p: k for k, p in enumerate(PAPERS)}
    rows = sorted((r for r in rows if r.get("search")),
                  key=lambda r: (order.get(r["paper"], len(order)), _id_key(r["id"])))
    ys, y, groups = [], 0.0, []
    for k, r in enumerate(rows):
        if k and r["paper"] != rows[k - 1]["paper"]:
            y += 0.8  # a gap between papers
        if not k or r["paper"] != rows[k - 1]["paper"]:
            groups.append([r["paper"], y, y])
        groups[-1][2] = y
        ys.append(y)
        y += 1.0
    fig, ax = new_figure(figsize=(6.4, 1.3 + 0.2 * max(len(rows), 1)))
    for yy, r in zip(ys, rows):
        s = r["search"]
        fixed, worst = clip(s["fixed_ratio"]), clip(s["worst_ratio"])
        colour = "C3" if s["worst_ratio"] > 1 else f"C{order.get(r['paper'], 9) % 10}"
        ax.plot([fixed, worst], [yy, yy], color="0.75", lw=1.2, zorder=1)
        ax.scatter([fixed], [yy], s=22, facecolors="white", edgecolors=colour, zorder=2)
        ax.scatter([worst], [yy], s=26, color=colour, zorder=3,
                   marker=">" if s["worst_ratio"] > CEIL else "o")
    ax.axvline(1.0, color="k", lw=1.0)
    ax.axvline(0.1, color="0.4", lw=0.8, ls="--")
    ax.set_xscale("log")
    shown = [clip(r["search"][k]) for r in rows for k in ("fixed_ratio", "worst_ratio")]
    lo = 10.0 ** np.floor(np.log10(min(shown + [0.05])))
    ax.set_xlim(lo / 2, min(max(shown + [1.0]) * 3, CEIL * 3))
    ax.set_yticks(ys, [r["id"] for r in rows], fontsize=7)
    ax.set_ylim(y - 0.2, -0.8)  # the first claim at the top
    ax.grid(False, axis="y")
    for paper, first, last in groups:  # paper names right of the axes, beside their claims
        ax.text(1.01, (first + last) / 2, paper, rotation=90, va="center", ha="left",
                fontsize=8, color="0.3", transform=ax.get_yaxis_transform(), clip_on=False)
    ax.set_xlabel("measured / bound (1: the bound is attained; right of 1: violated)")
    ax.scatter([], [], facecolors="white", edgecolors="k", s=22, label="fixed instances")
    ax.scatter([], [], color="k", s=26, label="worst found by the search")
    ax.plot([], [], color="0.4", ls="--", lw=0.8, label="loose by 10x")
    ax.legend(loc="lower left", fontsize=7, bbox_to_anchor=(0.0, 1.0), ncol=3)
    ax.set_title(f"Tightness of the bounds ({source})" if source else "Tightness of the bounds",
                 fontsize=9, pad=22)
    return save(fig, out_dir, NAME, formats)


def clip(x):
    """A ratio on the plotted range: non-positive or missing ratios (e.g. a lower bound of 0)
    at the floor, infinite ones at the ceiling."""
    return float(np.clip(x if x is not None and x > 0 else FLOOR, FLOOR, CEIL))


def _id_key(cid):
    """Claims in spec order (MAST-C9 before MAST-C10)."""
    head, _, tail = cid.rpartition("-")
    digits = "".join(ch for ch in tail if ch.isdigit())
    return head, tail.rstrip("0123456789"), int(digits) if digits else 0


@figure(NAME, "all",
        "worst measured/bound ratio found by the adversarial search per claim (log scale, "
        "grouped by paper), fixed-instance ratio beside it",
        claims=_searched_ids())
def render(quick=False, out_dir="figures_out"):
    rows, source = search_rows(quick)
    return plot(rows, out_dir, source=source)
