"""Adversarial search of the BASE and MAST bounds: every wrong-bound variant is found by the
quick search and missed by the fixed instances; the fixed instances are the claims'; the
CLI writes the search record (and the report shows it)."""

import json

import numpy as np
import pytest

from theory_checks import load
from theory_checks.cli import main
from theory_checks.mast import _bern_p, _c9_cases, _problem
from theory_checks.search import excluded, load_spaces, restart_unit, search_claim
from theory_checks.search._mast_family import quadratic, sketch

SPACES = {cid: sp for cid, sp in load_spaces(["base", "mast"]).items()
          if cid.startswith(("BASE-", "MAST-"))}
VARIANTS = [(cid, v) for cid, sp in sorted(SPACES.items()) for v in sp.variants]
RECORD_FIELDS = {"fixed_ratio", "worst_ratio", "worst_instance", "evaluations", "seed"}


@pytest.fixture(autouse=True)
def _search_cache_in_tmp(tmp_path, monkeypatch):
    """Result and found stores of the CLI tests in a fresh folder."""
    monkeypatch.setenv("SKETCHOPT_CACHE", str(tmp_path / "cache"))


def test_every_inequality_claim_is_searched_or_excluded_with_a_reason():
    ids = {c.id for c in load(["base", "mast"])}
    left_out = excluded(["base", "mast"])
    assert set(SPACES) | set(left_out) == ids
    assert not set(SPACES) & set(left_out)
    assert len(SPACES) >= 15 and all(len(reason) > 20 for reason in left_out.values())


@pytest.mark.parametrize("cid, variant", VARIANTS)
def test_wrong_bound_is_found_by_the_search_not_by_the_fixed_instances(cid, variant):
    res = search_claim(cid, quick=True, variant=variant, stop_at_violation=True)
    assert not res["fixed_violated"], f"{cid}/{variant}: the fixed instances already catch it"
    assert res["verdict"] == "FAIL", f"{cid}/{variant}: the quick search missed it"
    assert res["search"]["worst_ratio"] > 1


@pytest.mark.parametrize("cid", sorted(SPACES))
def test_fixed_instances_pass_and_a_short_search_does_not_go_below_them(cid):
    out = restart_unit(cid, 0, True, start="fixed", budget=15)
    assert not out["fixed_violated"] and not out["violated"]
    assert 0 < out["fixed_ratio"] <= out["ratio"] <= 1


def test_fixed_instances_are_the_claims_instances():
    # C6: the generator's A and the Bernoulli p of the claim's second instance
    f = SPACES["MAST-C6"].complete(SPACES["MAST-C6"].fixed()[1])
    np.testing.assert_allclose(quadratic(f)[0], _problem(7, 21)[0], rtol=1e-13)
    np.testing.assert_allclose(sketch(f).p, _bern_p(7, 5), rtol=1e-13)
    # C9: every case of the claim, including A = I and the rotated kappa = 3 instance
    for (A, *_), inst in zip(_c9_cases(), SPACES["MAST-C9"].fixed()):
        np.testing.assert_allclose(quadratic(SPACES["MAST-C9"].complete(inst))[0], A,
                                   rtol=1e-12, atol=1e-14)
    # the near-tight ratios the claims state: q = 7/8 for C9, 1 for C7 at A = I
    assert restart_unit("MAST-C9", 0, True, start="fixed", budget=1)["fixed_ratio"] == \
        pytest.approx(7 / 8, rel=1e-9)
    assert restart_unit("MAST-C7", 0, True, start="fixed", budget=1)["fixed_ratio"] == \
        pytest.approx(1.0, rel=1e-9)


def test_cli_search_json_record_and_rerun_from_found_store(tmp_path, capsys):
    js = tmp_path / "s.json"
    ids = ["--id", "BASE-1", "--id", "MAST-C9"]
    assert main(["--search", *ids, "--quick", "--quiet", "--json", str(js), "-j", "1"]) == 0
    doc = json.loads(js.read_text())
    rows = {r["id"]: r for r in doc["claims"]}
    assert set(rows) == {"BASE-1", "MAST-C9"}
    for r in rows.values():
        assert set(r["search"]) == RECORD_FIELDS and r["verdict"] == "PASS"
        assert r["search"]["worst_ratio"] >= r["search"]["fixed_ratio"]
    out = capsys.readouterr().out
    assert "worst instances" in out and "MAST-C9" in out
    first = rows["MAST-C9"]["search"]["worst_ratio"]
    # the rerun starts restart 1 from the saved worst instance: never worse than the first run
    assert main(["--search", *ids, "--quick", "--quiet", "--json", str(js), "--loose-table"]) \
        == 0
    again = {r["id"]: r for r in json.loads(js.read_text())["claims"]}
    assert again["MAST-C9"]["search"]["worst_ratio"] >= first
    assert "| claim | provenance | worst ratio found |" in capsys.readouterr().out


def test_cli_search_with_report_shows_the_search(tmp_path):
    out = tmp_path / "rep"
    assert main(["--search", "--id", "BASE-1", "--quick", "--quiet", "--report", str(out)]) \
        == 0
    page = (out / "index.html").read_text()
    assert "Worst-case search" in page and "worst_ratio" in page
    run = json.loads((out / "results.json").read_text())
    (row,) = run["claims"]
    assert set(row["search"]) == RECORD_FIELDS and row["broken_runs"]
    assert (out / "figures" / "tightness.png").is_file()
