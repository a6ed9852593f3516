"""The report page: summary, changes, the claims table and one section per claim."""

import json
import re
from html import escape

from .assets import CSS, JS

PAPER_ORDER = ("base", "mast", "auxinfo", "spred", "ramda")
PAPER_TITLES = {"base": "Foundation (BASE)", "mast": "MAST", "auxinfo": "Auxiliary information",
                "spred": "spred", "ramda": "RAMDA"}
SPEC_FILES = {"base": "CLAIMS.md, foundation claims", "mast": "specs/mast.md",
              "auxinfo": "specs/auxinfo.md", "spred": "specs/spred.md",
              "ramda": "specs/ramda.md"}
# badge text and its explanation: a derived bound must never read like the paper's own
PROVENANCE = {
    "paper": ("paper", "read in the paper"),
    "code": ("authors' code", "taken from the authors' code"),
    "secondary": ("secondary source", "from a review or summary of the paper, not the paper"),
    "reconstruction": ("our reconstruction", "our reading of an incomplete algorithm"),
    "derived": ("derived by us", "our own derivation, verified; not the paper's statement"),
    "empirical": ("empirical", "an observed trend; no theorem"),
}
VERDICTS = ("PASS", "FAIL", "INFO")
_PART = re.compile(r"part\d+$")
_CITES = re.compile(r"\b([A-Z]\d+|[Cc]heck \d+|[Ss]pec|Theorem|Table|Figure|Eqs?\.)")
MAX_ROWS = 60   # longer arrays are summarised, not listed
MAX_MATRIX = 12


def fmt(x):
    """A number as a reader wants it: 4 significant digits, '-' for missing, inf spelled."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if abs(x) >= 1e300:
            return "∞" if x > 0 else "−∞"
        if x == 0:
            return "0"
        return f"{x:.4g}" if 1e-3 <= abs(x) < 1e6 else f"{x:.3e}"
    return escape(str(x))


def _sortval(x):
    return "" if x is None else repr(float(x))


def anchor(cid):
    """The HTML id of a claim's section."""
    return "claim-" + re.sub(r"[^A-Za-z0-9_-]", "_", cid)


def verdict_badge(v):
    return f'<span class="badge v-{escape(v)}">{escape(v)}</span>'


def provenance_badge(p):
    text, title = PROVENANCE.get(p, (p, p))
    return f'<span class="badge p-{escape(p)}" title="{escape(title)}">{escape(text)}</span>'


def spec_item(row):
    """``(spec file, item)`` the claim checks, from its id and the head of its statement."""
    paper, cid = row["paper"], row["id"]
    head = row["statement"].split(": ", 1)[0]
    if head.count("(") > head.count(")"):  # the split fell inside a parenthesis
        head = head[:head.rindex("(")].rstrip()
    item = cid.split("-", 1)[1] if "-" in cid else cid
    # the head names the spec item only when it cites one (C11, check 17, Theorem 1, ...)
    if len(head) <= 110 and head != row["statement"] and _CITES.search(head):
        item = head if head.startswith(item) else f"{item}: {head}"
    elif paper == "base":
        item = cid
    return SPEC_FILES.get(paper, paper), item


# ------------------------------------------------------------------------ details as tables

def _is_num(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or v is None


def _is_scalar(v):
    return v is None or isinstance(v, (int, float, bool, str))


def _num_list(v):
    return isinstance(v, list) and v and all(_is_num(x) for x in v)


def _matrix(v):
    return (isinstance(v, list) and v and all(_num_list(r) for r in v)
            and len({len(r) for r in v}) == 1)


def _summary(v):
    vals = [x for x in v if x is not None]
    if not vals:
        return f"{len(v)} values, all missing"
    return (f"{len(v)} values, min {fmt(min(vals))}, max {fmt(max(vals))}, "
            f"first {fmt(v[0])}, last {fmt(v[-1])}")


def render_value(v):
    """One details value as HTML: numbers formatted, lists and dicts as small tables."""
    if isinstance(v, str):
        if "\n" in v:
            return f"<pre>{escape(v)}</pre>"
        return escape(v)
    if _is_scalar(v):
        return fmt(v)
    if _matrix(v):
        if len(v) > MAX_MATRIX or len(v[0]) > MAX_MATRIX:
            return f"{len(v)} × {len(v[0])} array"
        rows = "".join("<tr>" + "".join(f'<td class="num">{fmt(x)}</td>' for x in r) + "</tr>"
                       for r in v)
        return f'<table class="compact nested">{rows}</table>'
    if _num_list(v):
        if len(v) > MAX_ROWS:
            return _summary(v)
        return ", ".join(fmt(x) for x in v)
    if isinstance(v, list):
        if not v:
            return "none"
        return "<br>".join(render_value(x) for x in v[:MAX_ROWS]) + (
            f"<br>… {len(v) - MAX_ROWS} more" if len(v) > MAX_ROWS else "")
    if isinstance(v, dict):
        return render_details(v)
    return escape(str(v))


def _array_table(arrays):
    """Same-length numeric arrays side by side, one column each."""
    names = list(arrays)
    n = len(arrays[names[0]])
    head = "".join(f'<th class="num">{escape(k)}</th>' for k in names)
    body = "".join("<tr>" + "".join(f'<td class="num">{fmt(arrays[k][i])}</td>' for k in names)
                   + "</tr>" for i in range(n))
    return f'<table class="compact nested"><tr>{head}</tr>{body}</table>'


def split_details(d):
    """``(parts, scalars, other)``: combine() sub-checks, scalar entries, everything else."""
    parts, scalars, other = [], {}, {}
    for k, v in (d or {}).items():
        if k == "trajectory":
            continue  # drawn in the claim's plot
        if _PART.match(k) and isinstance(v, dict) and "verdict" in v:
            parts.append((k, v))
        elif _is_scalar(v) and not (isinstance(v, str) and "\n" in v):
            scalars[k] = v
        else:
            other[k] = v
    return parts, scalars, other


def render_details(d):
    """A details dict as nested tables (never a JSON dump)."""
    parts, scalars, other = split_details(d)
    html = []
    if parts:
        html.append(parts_table(parts))
    if scalars:
        html.append(kv_table(scalars))
    html.append(render_other(other))
    return "".join(html) or '<span class="muted">nothing recorded</span>'


def kv_table(items):
    rows = "".join(f"<tr><th><code>{escape(str(k))}</code></th><td>{render_value(v)}</td></tr>"
                   for k, v in items.items())
    return f'<table class="kv compact">{rows}</table>'


def render_other(other):
    """Arrays, matrices and nested dicts.

    Arrays recorded against an abscissa (``m``, ``b``, ``t``, ...; see ``plots.X_KEYS``)
    are shown as columns beside it; other arrays are listed in one row each, so unrelated
    arrays of the same length are never read as a table.
    """
    from .plots import X_KEYS
    html, rest = [], {}
    xkey = next((k for k in X_KEYS if _num_list(other.get(k))
                 and 1 < len(other[k]) <= MAX_ROWS), None)
    if xkey is not None:
        n = len(other[xkey])
        cols = {xkey: other[xkey]}
        cols.update({k: v for k, v in other.items()
                     if k != xkey and _num_list(v) and len(v) == n})
        if len(cols) > 1:
            html.append(_array_table(cols))
            other = {k: v for k, v in other.items() if k not in cols}
    rest.update(other)
    if rest:
        html.append(kv_table(rest))
    return "".join(html)


def parts_table(parts):
    """combine()'s sub-checks: each with its instance (note), numbers and own details."""
    rows = []
    for k, p in parts:
        sub = p.get("details") or {}
        inner = render_details(sub) if sub else ""
        if sub and len(inner) > 600:
            inner = f"<details><summary>recorded values</summary>{inner}</details>"
        rows.append(
            f"<tr><td>{escape(k[4:])}</td><td>{verdict_badge(p['verdict'])}</td>"
            f"<td>{escape(p.get('note') or '')}</td>"
            f'<td class="num">{fmt(p.get("measured"))}</td>'
            f'<td class="num">{fmt(p.get("bound"))}</td>'
            f'<td class="num">{fmt(p.get("margin"))}</td><td>{inner}</td></tr>')
    return ('<table class="compact"><tr><th>#</th><th>verdict</th><th>sub-check / instance'
            '</th><th class="num">measured</th><th class="num">bound</th><th class="num">'
            'margin</th><th>recorded</th></tr>' + "".join(rows) + "</table>")


# ------------------------------------------------------------------------------ the page

def _counts(rows, key):
    out = {}
    for r in rows:
        c = out.setdefault(r[key], dict.fromkeys(VERDICTS, 0))
        c[r["verdict"]] += 1
    return out


def _caught(row):
    runs = row.get("broken_runs")
    if runs is None:
        return None
    ok = sum(1 for b in runs if b["verdict"] == "FAIL" and not str(b["note"]).startswith("error"))
    return ok, len(runs)


def counts_table(rows, key, order, label):
    counts = _counts(rows, key)
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    body = []
    for k in keys:
        c = counts[k]
        name = provenance_badge(k) if key == "provenance" else escape(PAPER_TITLES.get(k, k))
        if key == "paper":
            name = f'<a href="#paper-{escape(k)}">{name}</a>'
        caught = [_caught(r) for r in rows if r[key] == k]
        caught = [x for x in caught if x is not None]
        variants = (f"{sum(x[0] for x in caught)}/{sum(x[1] for x in caught)}"
                    if caught else "–")
        body.append(f"<tr><td>{name}</td>" + "".join(
            f'<td class="num">{c[v] or ""}</td>' for v in VERDICTS)
            + f'<td class="num">{sum(c.values())}</td><td class="num">{variants}</td></tr>')
    return (f'<table class="compact"><tr><th>{escape(label)}</th><th class="num">PASS</th>'
            '<th class="num">FAIL</th><th class="num">INFO</th><th class="num">claims</th>'
            '<th class="num" title="broken variants that FAIL, of those run">variants caught'
            "</th></tr>" + "".join(body) + "</table>")


def meta_table(run):
    m = run.get("meta") or {}
    mach = m.get("machine") or {}
    git = m.get("git")
    items = {
        "date (UTC)": m.get("date") or "not recorded",
        "mode": run.get("mode") or m.get("mode") or "?",
        "wall time of the claims": (f"{m['wall_seconds']:.1f} s" if m.get("wall_seconds")
                                    is not None else "not recorded"),
        "sum of claim times": f"{sum(r.get('seconds') or 0 for r in run['claims']):.1f} s",
        "executor": (f"{m.get('executor')}, {m.get('jobs')} worker(s)" if m.get("executor")
                     else "not recorded"),
        "machine": (f"{mach.get('cpu', '?')}, {mach.get('cpus', '?')} cpus, "
                    f"{mach.get('system', '')}" if mach else "not recorded"),
        "python": mach.get("python", "not recorded"),
        "packages": ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items())
                    or "not recorded",
        "git revision": (f"{git['revision'][:12]} ({git['branch']}"
                         f"{', uncommitted changes' if git['dirty'] else ''})" if git
                         else "not a git checkout, or not recorded"),
    }
    if m.get("command"):
        items["command"] = m["command"]
    if run.get("source"):
        items["results file"] = run["source"]
    return kv_table(items)


def summary_section(run):
    rows = run["claims"]
    total = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    tiles = "".join(f'<div class="tile {v.lower()}"><div class="n">{total[v]}</div>{v}</div>'
                    for v in VERDICTS)
    caught = [c for c in (_caught(r) for r in rows) if c is not None]
    if caught:
        tiles += (f'<div class="tile"><div class="n">{sum(c[0] for c in caught)}/'
                  f"{sum(c[1] for c in caught)}</div>broken variants caught</div>")
    legend = "".join(f"<span>{provenance_badge(p)} {escape(why)}</span>"
                     for p, (_, why) in PROVENANCE.items())
    return (f'<h2 id="summary">Summary</h2><div class="headline">{tiles}</div>'
            f'<div class="grid"><div><h4>Per paper</h4>'
            f'{counts_table(rows, "paper", PAPER_ORDER, "paper")}'
            f'<h4>Per provenance</h4>'
            f'{counts_table(rows, "provenance", tuple(PROVENANCE), "provenance")}</div>'
            f"<div><h4>Run</h4>{meta_table(run)}</div></div>"
            f'<p class="legend">Provenance: {legend}</p>')


def changes_section(diff, old_name):
    """The comparison with a baseline run, shown at the top of the page."""
    from .diff import MARGIN_MOVE, has_changes
    if not has_changes(diff):
        return (f'<div class="changes none" id="changes"><h2>Changes since {escape(old_name)}'
                f"</h2><p>None: the same claims, the same verdicts, and no margin moved by more"
                f" than {MARGIN_MOVE:.0%} ({diff['unchanged']} claims compared).</p></div>")
    html = [f'<div class="changes" id="changes"><h2>Changes since {escape(old_name)}</h2>']

    def link(cid):
        return f'<a href="#{anchor(cid)}">{escape(cid)}</a>'
    if diff["verdicts"]:
        rows = "".join(
            f"<tr><td>{link(d['id'])}</td><td>{verdict_badge(d['old']['verdict'])} → "
            f"{verdict_badge(d['new']['verdict'])}</td>"
            f'<td class="num">{fmt(d["old"].get("margin"))}</td>'
            f'<td class="num">{fmt(d["new"].get("margin"))}</td>'
            f"<td>{escape(d['new'].get('note') or '')}</td></tr>" for d in diff["verdicts"])
        html.append(f"<h4>Verdicts that changed ({len(diff['verdicts'])})</h4>"
                    '<table class="compact"><tr><th>claim</th><th>verdict</th><th class="num">'
                    'old margin</th><th class="num">new margin</th><th>note</th></tr>'
                    f"{rows}</table>")
    if diff["margins"]:
        rows = "".join(
            f"<tr><td>{link(d['id'])}</td><td>{verdict_badge(d['new']['verdict'])}</td>"
            f'<td class="num">{fmt(d["old"].get("margin"))}</td>'
            f'<td class="num">{fmt(d["new"].get("margin"))}</td><td class="num">'
            + (f"{d['change']:+.1%}" if d["change"] is not None else "–") + "</td></tr>"
            for d in diff["margins"])
        html.append(f"<h4>Margins that moved by more than {MARGIN_MOVE:.0%} "
                    f"({len(diff['margins'])})</h4>"
                    '<table class="compact"><tr><th>claim</th><th>verdict</th>'
                    '<th class="num">old margin</th><th class="num">new margin</th>'
                    '<th class="num">change</th></tr>' + rows + "</table>")
    if diff["new"]:
        html.append(f"<h4>New claims ({len(diff['new'])})</h4><p>"
                    + ", ".join(link(c) for c in diff["new"]) + "</p>")
    if diff["missing"]:
        html.append(f"<h4>Claims missing from this run ({len(diff['missing'])})</h4><p>"
                    + ", ".join(escape(c) for c in diff["missing"]) + "</p>")
    html.append(f'<p class="muted">{diff["unchanged"]} other claims unchanged.</p></div>')
    return "".join(html)


def claims_table(rows):
    """The sortable, filterable table of all claims, FAILs first."""
    order = {r["id"]: i for i, r in enumerate(rows)}
    ranked = sorted(rows, key=lambda r: (r["verdict"] != "FAIL", order[r["id"]]))

    def opts(values):
        return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    papers = [p for p in PAPER_ORDER if any(r["paper"] == p for r in rows)]
    provs = [p for p in PROVENANCE if any(r["provenance"] == p for r in rows)]
    body = []
    for r in ranked:
        c = _caught(r)
        variants = "–" if c is None else f"{c[0]}/{c[1]}"
        miss = c is not None and c[0] < c[1]
        body.append(
            f'<tr class="{r["verdict"].lower()}" data-paper="{escape(r["paper"])}" '
            f'data-provenance="{escape(r["provenance"])}" data-verdict="{r["verdict"]}">'
            f'<td data-v="{order[r["id"]]:05d}"><a href="#{anchor(r["id"])}">{escape(r["id"])}'
            f'</a></td><td data-v="{escape(r["paper"])}">{escape(r["paper"])}</td>'
            f'<td data-v="{escape(r["provenance"])}">{provenance_badge(r["provenance"])}</td>'
            f'<td data-v="{VERDICTS.index(r["verdict"]) if r["verdict"] != "FAIL" else -1}">'
            f'{verdict_badge(r["verdict"])}</td>'
            + "".join(f'<td class="num" data-v="{_sortval(r.get(k))}">{fmt(r.get(k))}</td>'
                      for k in ("measured", "bound", "margin"))
            + f'<td class="num" data-v="{_sortval(r.get("seconds"))}">'
              f'{r.get("seconds") or 0:.2f}</td>'
            + f'<td class="num{" missed" if miss else ""}" data-v="'
              f'{"" if c is None else c[0] - c[1]}">{variants}</td>'
            + f'<td data-v="{escape(r["statement"][:40])}"><div class="stmt" '
              f'title="{escape(r["statement"])}">{escape(r["statement"])}</div></td></tr>')
    heads = [("id", "text"), ("paper", "text"), ("provenance", "text"), ("verdict", "num"),
             ("measured", "num"), ("bound", "num"), ("margin", "num"), ("seconds", "num"),
             ("caught", "num"), ("statement", "text")]
    head = "".join(f'<th data-type="{t}"{" class=num" if t == "num" and n != "verdict" else ""}'
                   + (' title="broken variants that FAIL, of those declared"' if n == "caught"
                      else "") + f">{escape(n)}</th>" for n, t in heads)
    return ('<h2 id="claims-table">Claims</h2>'
            '<div class="filters"><label>paper <select id="f-paper"><option value="">all'
            f'</option>{opts(papers)}</select></label><label>provenance <select id="f-prov">'
            f'<option value="">all</option>{opts(provs)}</select></label><label>verdict '
            f'<select id="f-verdict"><option value="">all</option>{opts(VERDICTS)}</select>'
            '</label><input id="f-text" type="search" placeholder="search id or statement">'
            f'<span id="f-count" class="muted">{len(rows)} claims</span></div>'
            '<p class="muted">Click a column to sort; FAILs are listed first. Margin ≥ 0 '
            "exactly when a check holds.</p>"
            f'<table id="claims"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}'
            "</tbody></table>")


def broken_table(row, declared):
    runs = row.get("broken_runs")
    if runs is None:
        if not declared:
            return '<p class="muted">No broken variant declared.</p>'
        return ("<p class=\"muted\">Declared: " + ", ".join(f"<code>{escape(b)}</code>"
                                                       for b in declared)
                + ". Not run in this run (<code>--report</code> runs them).</p>")
    if not runs:
        return '<p class="muted">No broken variant declared.</p>'
    body = []
    for b in runs:
        crashed = str(b.get("note", "")).startswith("error")
        caught = b["verdict"] == "FAIL" and not crashed
        status = ('<span class="caught">caught</span>' if caught else
                  '<span class="missed">crashed (not a catch)</span>' if crashed else
                  '<span class="missed">NOT caught</span>')
        body.append(f"<tr><td><code>{escape(b['variant'])}</code></td>"
                    f"<td>{verdict_badge(b['verdict'])}</td><td>{status}</td>"
                    f'<td class="num">{fmt(b.get("measured"))}</td>'
                    f'<td class="num">{fmt(b.get("bound"))}</td>'
                    f'<td class="num">{fmt(b.get("margin"))}</td>'
                    f"<td>{escape(str(b.get('note') or ''))}</td></tr>")
    return ('<table class="compact"><tr><th>variant</th><th>verdict</th><th>the check</th>'
            '<th class="num">measured</th><th class="num">bound</th><th class="num">margin</th>'
            "<th>note</th></tr>" + "".join(body) + "</table>")


def search_block(search):
    """The worst-case search result of a claim (``row["search"]``), when present."""
    first = ("fixed_ratio", "worst_ratio", "evaluations", "seed")
    items = {k: search[k] for k in first if k in search}
    items.update({k: v for k, v in search.items() if k not in first and k != "worst_instance"})
    html = kv_table(items)
    if "worst_instance" in search:
        html += "<h4>Worst instance found</h4>" + render_value(search["worst_instance"])
    return html


def claim_section(row, figures, plot, declared):
    """One claim: statement, spec item, instance, numbers, details, variants, figures."""
    spec, item = spec_item(row)
    parts, scalars, other = split_details(row.get("details"))
    instances = [p.get("note") for _, p in parts if p.get("note")]
    html = [f'<section class="claim {row["verdict"]}" id="{anchor(row["id"])}">'
            f'<div class="claim-head"><h3>{escape(row["id"])}</h3>'
            f'{verdict_badge(row["verdict"])}{provenance_badge(row["provenance"])}'
            f'<span class="muted">{escape(row["paper"])} · {row.get("seconds") or 0:.2f} s'
            '</span><a class="top" href="#claims-table">↑ claims table</a></div>'
            f'<p class="statement">{escape(row["statement"])}</p>'
            f'<p class="muted">Spec item: <b>{escape(item)}</b> ({escape(spec)}). Provenance: '
            f'{escape(PROVENANCE.get(row["provenance"], ("", row["provenance"]))[1])}.</p>'
            '<div class="mvb">'
            f'<div><span>measured</span>{fmt(row.get("measured"))}</div>'
            f'<div><span>bound</span>{fmt(row.get("bound"))}</div>'
            f'<div><span>margin</span>{fmt(row.get("margin"))}</div>'
            f'<div><span>note</span>{escape(row.get("note") or "–")}</div></div>']
    html.append("<h4>Instance and parameters</h4>")
    if instances:
        uniq = list(dict.fromkeys(instances))
        html.append(f'<p>{len(parts)} sub-checks on: ' + "; ".join(escape(i) for i in uniq)
                    + "</p>")
    if scalars:
        html.append(kv_table({k: v for k, v in scalars.items() if k != "traceback"}))
    if not instances and not scalars:
        html.append('<p class="muted">As in the statement; nothing else recorded.</p>')
    if parts:
        html.append("<h4>Sub-checks (the verdict is that of the least margin)</h4>"
                    + parts_table(parts))
    rest = render_other(other)
    if rest:
        html.append("<h4>Recorded values</h4>" + rest)
    if plot:
        plot_note = (" (solid: measured, dashed: the bound)"
                     if "trajectory" in json.dumps(row.get("details")) else "")
        html.append(f'<figure class="plot"><img src="{escape(plot)}" alt="plot of '
                    f'{escape(row["id"])}" loading="lazy"><figcaption>Drawn from this '
                    f"claim's recorded details{plot_note}.</figcaption></figure>")
    html.append("<h4>Broken variants (each must FAIL)</h4>" + broken_table(row, declared))
    if row.get("search"):
        html.append("<h4>Worst-case search</h4>" + search_block(row["search"]))
    for name, f in figures:
        fig = f["figure"]
        if f["path"]:
            html.append(f'<figure><a href="{escape(f["path"])}"><img src="{escape(f["path"])}"'
                        f' alt="figure {escape(name)}" loading="lazy"></a><figcaption><b>'
                        f"{escape(name)}</b>: {escape(fig.description)} "
                        f'<span class="muted">({escape(f["origin"])})</span></figcaption>'
                        "</figure>")
        else:
            html.append(f'<p class="muted">Figure <b>{escape(name)}</b> could not be built: '
                        f'{escape(str(f["error"]))}</p>')
    tb = (row.get("details") or {}).get("traceback")
    if tb:
        html.append(f"<details open><summary>traceback</summary><pre>{escape(tb)}</pre>"
                    "</details>")
    html.append("</section>")
    return "".join(html)


def render_page(run, figures=None, plots=None, diff=None, baseline_name=None, declared=None):
    """The whole ``index.html``.

    Parameters
    ----------
    run : dict
        ``{"claims": [...], "meta": {...}, "mode": ...}`` as written by ``--json``.
    figures : dict, optional
        ``{claim id: [(figure name, info), ...]}`` from :func:`figs.collect_figures`.
    plots : dict, optional
        ``{claim id: relative PNG path}``.
    diff : dict, optional
        :func:`diff.compare_runs` against ``baseline_name``.
    declared : dict, optional
        ``{claim id: tuple of broken variant names}`` for runs that did not run them.
    """
    figures, plots, declared = figures or {}, plots or {}, declared or {}
    rows = run["claims"]
    m = run.get("meta") or {}
    papers = [p for p in PAPER_ORDER if any(r["paper"] == p for r in rows)]
    papers += sorted({r["paper"] for r in rows} - set(papers))
    nav = ('<nav><b>sketchopt claims report</b><a href="#summary">summary</a>'
           + ('<a href="#changes">changes</a>' if diff is not None else "")
           + '<a href="#claims-table">claims</a>'
           + "".join(f'<a href="#paper-{escape(p)}">{escape(PAPER_TITLES.get(p, p))}</a>'
                     for p in papers) + "</nav>")
    git = m.get("git")
    sub = " · ".join(x for x in (
        f"{len(rows)} claims", f"{run.get('mode') or m.get('mode') or '?'} mode",
        m.get("date"), git and f"git {git['revision'][:10]}") if x)
    body = [nav, "<main>", "<h1>Theory checks: every claim beside its bound</h1>",
            f'<p class="sub-title">{escape(sub)}</p>']
    if diff is not None:
        body.append(changes_section(diff, baseline_name or "the baseline"))
    body.append(summary_section(run))
    body.append(claims_table(rows))
    for p in papers:
        body.append(f'<h2 id="paper-{escape(p)}">{escape(PAPER_TITLES.get(p, p))}</h2>')
        for r in rows:
            if r["paper"] == p:
                body.append(claim_section(r, figures.get(r["id"], []), plots.get(r["id"]),
                                          declared.get(r["id"], ())))
    body.append("</main>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>sketchopt claims report</title><style>{CSS}</style></head><body>"
            + "".join(body) + f"<script>{JS}</script></body></html>\n")
