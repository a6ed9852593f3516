"""Running searches: restarts as work units on an executor, the result store, and the store of
worst instances found (so a rerun starts from them)."""

import hashlib
import json
import os
from pathlib import Path

from sketchopt.sweeps import ResultStore, run_sweep
from sketchopt.sweeps.store import default_cache_dir

from ._engine import merge, restart_unit


def search_dir():
    """``$SKETCHOPT_CACHE/search`` (default ``~/.cache/sketchopt/search``)."""
    return default_cache_dir().parent / "search"


class FoundStore:
    """The worst instance found so far per claim (and per wrong-bound variant), one JSON file
    each; a rerun starts one restart from it and keeps it unless it finds a worse one.

    Parameters
    ----------
    root : str or Path, optional
        Directory; default ``search_dir() / "found"``.
    """

    def __init__(self, root=None):
        self.root = Path(root) if root is not None else search_dir() / "found"

    def path(self, claim_id, variant=None):
        return self.root / (f"{claim_id}.json" if variant is None else
                            f"{claim_id}.{variant}.json")

    def get(self, claim_id, variant=None):
        """The stored record (``ratio, instance, violated``) or None."""
        try:
            return json.loads(self.path(claim_id, variant).read_text())
        except (OSError, ValueError):
            return None

    def update(self, claim_id, variant, ratio, instance, violated):
        """Keep ``instance`` if its ratio is larger than the stored one; returns True if so."""
        old = self.get(claim_id, variant)
        if instance is None or (old is not None and old.get("ratio", -1e308) >= ratio):
            return False
        path = self.path(claim_id, variant)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"claim": claim_id, "variant": variant, "ratio": ratio,
                                   "violated": violated, "instance": instance}, indent=1))
        os.replace(tmp, path)  # readers see the old record or the whole new one
        return True


def code_version():
    """Package version plus a hash of the search and claim modules, so stored restarts are
    recomputed whenever a space, a bound or an instance builder changes."""
    from sketchopt import __version__
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(here.glob("*.py")) + sorted(here.parent.glob("*.py")):
        h.update(path.read_bytes())
    return f"{__version__}+search.{h.hexdigest()[:12]}"


def plan(claim_id, quick, variant=None, found=None, stop_at_violation=False):
    """The restart units of one claim: 0 from the fixed instances, 1 from the stored worst
    instance (when there is one), the rest from random points."""
    from . import load_spaces
    sp = load_spaces()[claim_id]
    n = sp.restarts[0 if quick else 1]
    rec = found.get(claim_id, variant) if found is not None else None
    units = []
    for r in range(n):
        start = "fixed" if r == 0 else (rec["instance"] if r == 1 and rec else None)
        units.append({"claim_id": claim_id, "restart": r, "quick": quick, "variant": variant,
                      "start": start, "stop_at_violation": stop_at_violation})
    return units


def search(claim_ids, quick=True, executor=None, store=None, found=None, variant=None,
           progress=True):
    """Search every claim of ``claim_ids``; one unit per restart, all claims in one sweep.

    Parameters
    ----------
    claim_ids : list of str
        Claims with a registered space.
    quick : bool
        Quick budgets.
    executor : sketchopt.sweeps.Executor, optional
        Default: serial in this process.
    store : ResultStore, optional
        Finished restarts are reused from it (keyed by :func:`code_version`).
    found : FoundStore, optional
        Worst instances of previous runs (read and updated).
    variant : str, optional
        A wrong-bound variant (must exist for every claim given).
    progress : bool
        Progress on stderr.

    Returns
    -------
    list of dict
        Per claim, in the order given: ``id`` plus the fields of :func:`merge`; a restart
        that raised makes the claim FAIL with the error in ``errors``.
    """
    units = [u for c in claim_ids for u in plan(c, quick, variant, found)]
    out = run_sweep(restart_unit, units, executor, store, progress=progress, label="search")
    rows = []
    for cid in claim_ids:
        idx = [i for i, u in enumerate(units) if u["claim_id"] == cid]
        results = [out.results[i] for i in idx if out.results[i] is not None]
        errors = [str(f) for f in out.failures if units[f.index]["claim_id"] == cid]
        if not results or not any("fixed_ratio" in r for r in results):
            rows.append({"id": cid, "verdict": "FAIL", "search": None, "errors": errors,
                         "mode": "quick" if quick else "full", "variant": variant})
            continue
        row = {"id": cid, **merge(cid, results, quick, variant), "errors": errors}
        if errors:
            row["verdict"] = "FAIL"
        if found is not None:
            s = row["search"]
            found.update(cid, variant, s["worst_ratio"], s["worst_instance"],
                         row["verdict"] == "FAIL" and not errors)
        rows.append(row)
    return rows


def search_claim(claim_id, quick=True, variant=None, stop_at_violation=False, found=None):
    """Search one claim serially in this process (the wrong-bound tests use this with
    ``stop_at_violation=True``: restarts stop at the first violated instance)."""
    results = []
    for unit in plan(claim_id, quick, variant, found, stop_at_violation):
        results.append(restart_unit(**unit))
        if stop_at_violation and results[-1]["violated"]:
            break
    return {"id": claim_id, **merge(claim_id, results, quick, variant)}


def result_store():
    """The result store of search restarts (``$SKETCHOPT_CACHE/search/units``)."""
    return ResultStore(search_dir() / "units", version=code_version())
