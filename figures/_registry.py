"""Figure registry, output style, and the parameter-hash data cache."""

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIGURES = {}


@dataclass
class Figure:
    name: str
    paper: str
    description: str
    func: object
    claims: tuple = ()


def figure(name, paper, description, claims=()):
    """Register ``fn(quick: bool, out_dir: Path) -> list[Path]`` as a figure.

    Parameters
    ----------
    name, paper, description : str
        Registry key (also the output file stem), the paper and what the figure shows.
    claims : tuple of str
        Ids of the theory-check claims the figure illustrates; the claims report embeds the
        figure in those claims' sections.
    """
    if isinstance(claims, str) or not all(isinstance(c, str) for c in claims):
        raise ValueError(f"claims must be a tuple of claim ids, got {claims!r}")

    def deco(fn):
        if name in FIGURES:
            raise ValueError(f"figure {name!r} registered twice")
        FIGURES[name] = Figure(name, paper, description, fn, tuple(claims))
        return fn
    return deco


def cache_dir():
    """``$SKETCHOPT_CACHE`` or ``~/.cache/sketchopt``; figure data lives under ``figures/``."""
    root = os.environ.get("SKETCHOPT_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "sketchopt")
    path = Path(root) / "figures"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(name, params):
    from sketchopt import __version__
    blob = json.dumps({"name": name, "params": params, "version": __version__},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def cached(name, params, compute, use_cache=True):
    """Return ``compute()`` (a dict of arrays), cached on disk by a hash of ``params``.

    A file that cannot be read back completely is recomputed, never used partially.
    """
    path = cache_dir() / f"{name}-{_key(name, params)}.npz"
    if use_cache and path.exists():
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            path.unlink(missing_ok=True)
    result = {k: np.asarray(v) for k, v in compute().items()}
    tmp = path.with_name(path.stem + f".{os.getpid()}.tmp.npz")
    np.savez(tmp, **result)
    os.replace(tmp, path)  # atomic: a reader never sees a half-written file
    return result


STYLE = {
    "figure.figsize": (6.4, 4.2), "figure.dpi": 110, "axes.grid": True, "grid.alpha": 0.3,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "font.size": 10, "lines.linewidth": 1.6, "savefig.bbox": "tight",
}


def new_figure(nrows=1, ncols=1, **kw):
    """A matplotlib figure with the project style (Agg backend, no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(nrows, ncols, **kw)
    for ax in np.atleast_1d(axes).ravel():
        ax.grid(True, alpha=0.3)
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
    return fig, axes


def save(fig, out_dir, name, formats=("png", "pdf")):
    """Save ``fig`` as ``out_dir/name.{png,pdf}``; returns the paths."""
    import matplotlib.pyplot as plt
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in formats:
        p = out_dir / f"{name}.{ext}"
        fig.savefig(p, dpi=150 if ext == "png" else None, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths
