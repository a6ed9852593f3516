"""Small per-claim plots drawn from a claim's own recorded details.

Two shapes of data are drawn: ``trajectory`` dicts (see ``theory_checks._trajectory``),
measured against bound over t, and series recorded against a named abscissa (a sample size
``m``, batch size ``b``, sparsity ``q``, step sizes ``etas``, ...) or per restart stage.
"""

import numpy as np

# detail keys that are an abscissa for the other arrays of the same length in the same dict
X_KEYS = ("t", "T", "m", "b", "q", "K", "Ks", "etas", "eta", "n", "batch", "stage")
MAX_CURVES = 8


def _numeric_list(v, min_len=3):
    return (isinstance(v, list) and len(v) >= min_len
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) or x is None
                    for x in v))


def _arr(v):
    a = np.array([np.nan if x is None else x for x in v], dtype=float)
    a[np.abs(a) >= 1e300] = np.nan  # JSON writes inf as +-1e308
    return a


def find_curves(details, label=""):
    """Every plottable curve in a claim's details, depth first.

    Returns
    -------
    list of dict
        Each with ``kind`` ('trajectory' or 'series'), ``label`` (where it was found, e.g.
        the sub-check's note), ``x``, ``ys`` (a dict name -> array), ``bound`` (array or
        None), axis labels and scale hints.
    """
    curves = []
    if not isinstance(details, dict):
        return curves
    tr = details.get("trajectory")
    if isinstance(tr, dict) and _numeric_list(tr.get("t"), 2):
        curves.append({"kind": "trajectory", "label": label, "x": _arr(tr["t"]),
                       "ys": {"measured": _arr(tr["measured"])},
                       "bound": _arr(tr["bound"]) if tr.get("bound") is not None else None,
                       "x_label": tr.get("x_label", "t"), "y_label": tr.get("y_label", ""),
                       "log_x": tr.get("log_x", False), "log_y": tr.get("log_y", True)})
    xkey = next((k for k in X_KEYS if _numeric_list(details.get(k))), None)
    if xkey is not None:
        n = len(details[xkey])
        ys = {k: _arr(v) for k, v in details.items() if k != xkey and _numeric_list(v)
              and len(v) == n}
        if ys:
            curves.append(_series(label, _arr(details[xkey]), xkey, ys))
    else:
        ys = {k: _arr(v) for k, v in details.items() if "stage" in k and _numeric_list(v)}
        lengths = {v.size for v in ys.values()}
        if ys and len(lengths) == 1:
            curves.append(_series(label, np.arange(1, lengths.pop() + 1.0), "stage", ys))
    for k, v in details.items():
        if isinstance(v, dict) and k != "trajectory":
            part = "verdict" in v  # a sub-check of combine(): its own details, named by note
            sub = (v.get("note") or k) if part else k
            curves += find_curves(v.get("details") or {} if part else v,
                                  f"{label} / {sub}" if label else str(sub))
    return curves


def _series(label, x, xkey, ys):
    pos = all(np.all(np.nan_to_num(v, nan=1.0) > 0) for v in ys.values())
    log_x = bool(np.all(x > 0) and x.max() / x.min() >= 20)
    spread = (max(np.nanmax(v) for v in ys.values())
              / max(min(np.nanmin(v) for v in ys.values()), 1e-300))
    # a rate against a log-spaced abscissa reads as a slope on log-log axes
    return {"kind": "series", "label": label, "x": x, "ys": ys, "bound": None,
            "x_label": xkey, "y_label": "", "log_x": log_x,
            "log_y": bool(pos and (log_x or spread >= 100))}


def _positive(a):
    return np.where(a > 0, a, np.nan)


def plot_claim(row, path):
    """Draw the curves of one result row to ``path`` (PNG); returns the path or None.

    Parameters
    ----------
    row : dict
        A claim's result row (``id``, ``details``, ...).
    path : str or Path
        Where to write the PNG.
    """
    curves = find_curves(row.get("details") or {})
    if not curves:
        return None
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    trajs = [c for c in curves if c["kind"] == "trajectory"][:MAX_CURVES]
    series = [c for c in curves if c["kind"] == "series"][:2]
    panels = ([trajs] if trajs else []) + [[s] for s in series]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.3), squeeze=False)
    for ax, group in zip(axes[0], panels):
        k = 0
        for c in group:
            for name, y in c["ys"].items():
                color = f"C{k % 10}"
                lab = c["label"] or name
                if c["kind"] == "series":
                    lab = name
                if c["log_y"]:
                    y = _positive(y)
                ax.plot(c["x"], y, color=color, lw=1.5, marker="o" if c["x"].size <= 12 else None,
                        ms=3, label=_short(lab))
                if c["bound"] is not None:
                    b = _positive(c["bound"]) if c["log_y"] else c["bound"]
                    ax.plot(c["x"], b, color=color, lw=1.1, ls="--")
                k += 1
        first = group[0]
        measured = np.concatenate([_positive(y) for c in group for y in c["ys"].values()])
        if first["log_y"] and np.any(np.isfinite(measured)):
            ax.set_yscale("log")
            # a bound decaying far below the measured curve would squash it to a line
            lo, hi = np.nanmin(measured), np.nanmax(measured)
            bounds = [_positive(c["bound"]) for c in group if c["bound"] is not None]
            if bounds:
                hi = max(hi, np.nanmax(np.concatenate(bounds)))
            ax.set_ylim(lo / 10 ** 1.5, hi * 10 ** 0.5)
        if first["log_x"]:
            ax.set_xscale("log")
        ax.set_xlabel(first["x_label"])
        ax.set_ylabel(first["y_label"])
        if first["kind"] == "trajectory":
            ax.set_title("measured (solid) vs bound (dashed)", fontsize=9)
        else:
            ax.set_title(_short(first["label"] or "recorded series", 60), fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        if k > 4:  # many curves: the legend goes beside the axes, not over the data
            ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        else:
            ax.legend(fontsize=7, frameon=False)
    fig.suptitle(row["id"], fontsize=10, x=0.02, ha="left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _short(s, n=48):
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def has_curves(row):
    """True when :func:`plot_claim` would draw something for ``row``."""
    return bool(find_curves(row.get("details") or {}))

