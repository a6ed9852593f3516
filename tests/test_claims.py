"""Every registered claim passes in quick mode, and every declared broken variant FAILs."""

import re

import pytest

from theory_checks import PAPERS, PROVENANCES, load

CLAIMS = load()
ID_PATTERN = re.compile(r"^(BASE-\d+|MAST-C\d+|AUX-\d+|SPRED-\d+|RAMDA-C\d+[a-z]?)$")


def _ids(items):
    return [c.id if not isinstance(c, tuple) else f"{c[0].id}:{c[1]}" for c in items]


@pytest.mark.parametrize("c", CLAIMS, ids=_ids(CLAIMS))
def test_claim_metadata(c):
    assert ID_PATTERN.match(c.id), c.id
    assert c.paper in PAPERS and c.provenance in PROVENANCES
    assert len(c.statement) > 20
    assert c.broken, f"{c.id} declares no broken variant: a check that cannot fail"


@pytest.mark.parametrize("c", CLAIMS, ids=_ids(CLAIMS))
def test_claim_holds_quick(c):
    res = c.run(quick=True)
    assert res["verdict"] in ("PASS", "INFO"), (res["note"], res["details"].get("traceback"))
    if res["verdict"] == "PASS":
        assert res["margin"] is None or res["margin"] >= 0


BROKEN = [(c, b) for c in CLAIMS for b in c.broken]


@pytest.mark.parametrize("cb", BROKEN, ids=_ids(BROKEN))
def test_broken_variant_fails(cb):
    c, broken = cb
    res = c.run(quick=True, broken=broken)
    assert res["verdict"] == "FAIL", f"{c.id} did not fail under {broken!r}: {res}"
    assert "error:" not in res["note"], f"broken variant crashed instead of failing: {res['note']}"


def test_unknown_broken_variant_rejected():
    with pytest.raises(ValueError, match="no broken variant"):
        CLAIMS[0].run(quick=True, broken="not-a-variant")
