"""What changed between two runs: verdicts, margins that moved, claims added or gone."""

MARGIN_MOVE = 0.10  # the threshold: margins that moved by more than 10 %


def _margin_moved(old, new, rel=MARGIN_MOVE):
    if old is None or new is None:
        return (old is None) != (new is None)
    if old == new:
        return False
    if old == 0.0:
        return True
    return abs(new - old) > rel * abs(old)


def compare_runs(old, new, rel=MARGIN_MOVE):
    """Compare two runs claim by claim.

    Parameters
    ----------
    old, new : dict
        Runs as written by ``--json`` (``{"claims": [...], ...}``); ``new`` is the one the
        report shows.
    rel : float
        A margin has moved when ``|new - old| > rel * |old|`` (or it appeared or vanished).

    Returns
    -------
    dict
        ``verdicts``: rows whose verdict changed; ``margins``: rows with the same verdict
        whose margin moved; ``new`` and ``missing``: claim ids only in ``new`` / only in
        ``old``; ``unchanged``: how many common claims did not change. Each row is a dict
        with ``id, old, new`` (the two result rows) and ``change`` (relative margin change,
        None when undefined).
    """
    a = {r["id"]: r for r in old["claims"]}
    b = {r["id"]: r for r in new["claims"]}
    out = {"verdicts": [], "margins": [], "new": [i for i in b if i not in a],
           "missing": [i for i in a if i not in b], "unchanged": 0}
    for cid, rb in b.items():
        ra = a.get(cid)
        if ra is None:
            continue
        ma, mb = ra.get("margin"), rb.get("margin")
        change = None if ma in (None, 0.0) or mb is None else (mb - ma) / abs(ma)
        row = {"id": cid, "old": ra, "new": rb, "change": change}
        if ra["verdict"] != rb["verdict"]:
            out["verdicts"].append(row)
        elif _margin_moved(ma, mb, rel):
            out["margins"].append(row)
        else:
            out["unchanged"] += 1
    # the largest moves first: they are the ones a reviewer should read
    out["margins"].sort(key=lambda r: -abs(r["change"]) if r["change"] is not None else 0.0)
    return out


def has_changes(diff):
    """True when ``diff`` (from :func:`compare_runs`) reports anything."""
    return any(diff[k] for k in ("verdicts", "margins", "new", "missing"))
