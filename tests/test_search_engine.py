"""The adversarial search engine on a toy space whose answer is known."""

import json

import numpy as np
import pytest

from theory_checks.search import (SPACES, FoundStore, Param, Variant, lower, restart_unit,
                                  search, search_claim, space, upper, vector)
from theory_checks.search._engine import fold, merge
from theory_checks.search._run import plan

TOY = "TEST-toy"
RECORD_FIELDS = {"fixed_ratio", "worst_ratio", "worst_instance", "evaluations", "seed"}


@pytest.fixture
def toy():
    """x * y / 2 <= 1/2 over x, y in [0, 1] (ratio x y, attained at the corner (1, 1)); fixed
    instance (0.5, 0.5); variant ``halved`` halves the bound, ``wide`` lets x reach 3."""
    SPACES.pop(TOY, None)

    @space(TOY, (Param("x", 0.0, 1.0, default=0.5), Param("y", 0.0, 1.0, default=0.5),
                 vector("u", 2)),
           lambda: [{"x": 0.5, "y": 0.5}],
           {"halved": Variant("bound halved", bound_scale=0.5),
            "wide": Variant("x up to 3", widen={"x": (0.0, 3.0)})}, "halved",
           budget=(60, 100), restarts=(3, 3))
    def _toy(inst, variant):
        return upper(inst["x"] * inst["y"] / 2, 0.5)
    yield SPACES[TOY]
    SPACES.pop(TOY, None)


@pytest.mark.parametrize("kind, low, high, value", [("real", -1.0, 2.0, 0.25),
                                                    ("log", 1e-3, 1e3, 0.5),
                                                    ("int", 2, 9, 5)])
def test_param_encode_decode_round_trip(kind, low, high, value):
    p = Param("a", low, high, kind)
    assert p.decode(p.encode(value)) == pytest.approx(value)
    assert low <= p.decode(np.array([0.0])) <= p.decode(np.array([1.0])) <= high


def test_choice_and_vector_params():
    p = Param("c", kind="choice", choices=("a", "b", "c"))
    assert [p.decode(p.encode(c)) for c in "abc"] == list("abc")
    v = vector("u", 3)
    assert v.decode(v.encode([0.1, -0.2, 0.3])) == pytest.approx([0.1, -0.2, 0.3])
    with pytest.raises(ValueError, match="choices"):
        Param("c", kind="choice")
    with pytest.raises(ValueError, match="0 < low"):
        Param("l", 0.0, 1.0, "log")


def test_fold_stays_in_the_unit_box():
    z = np.linspace(-7.3, 9.1, 1001)
    u = fold(z)
    assert u.min() >= 0 and u.max() <= 1
    assert fold(np.array([0.3, 1.3, 2.3]))[1] == pytest.approx(0.7)


def test_measure_ratios_and_tolerances():
    m = upper([1.0, 2.0], 2.0)
    assert m.ratios() == pytest.approx([0.5, 1.0], rel=1e-10)
    assert not m.violations().any()
    assert upper(2.0 * (1 + 1e-9), 2.0).violations().all()
    assert upper(np.inf, 1.0).ratios()[0] == np.inf
    # lower bounds: the tolerance is on the bound's side, so an attained bound passes
    lo = lower([2.0, 4.0], 2.0)
    assert lo.ratios() == pytest.approx([1.0, 0.5], rel=1e-10)
    assert not lower(2.0 * (1 - 1e-15), 2.0).violations().any()
    assert lower(1.9, 2.0).violations().all()
    # bound_scale below 1 tightens an upper bound
    assert upper(1.0, 1.5).violations(scale=0.5).all()


def test_registration_errors(toy):
    with pytest.raises(ValueError, match="registered twice"):
        space(TOY, toy.params, toy.fixed, toy.variants, "halved")(lambda i, v: None)
    with pytest.raises(ValueError, match="not declared"):
        space("TEST-other", toy.params, toy.fixed, {}, "missing")


def test_restart_from_fixed_keeps_budget_and_beats_fixed(toy):
    out = restart_unit(TOY, 0, True, start="fixed")
    assert out["fixed_ratio"] == pytest.approx(0.25)
    assert out["ratio"] >= out["fixed_ratio"]
    assert out["ratio"] > 0.9          # Nelder-Mead climbs towards the corner (1, 1)
    assert out["evaluations"] <= 60 + 1
    assert not out["violated"]


def test_random_restarts_are_reproducible(toy):
    a, b = (restart_unit(TOY, 2, True) for _ in range(2))
    assert a == b
    assert restart_unit(TOY, 3, True)["instance"] != a["instance"]


def test_wrong_bounds_are_found(toy):
    for variant in ("halved", "wide"):
        res = search_claim(TOY, quick=True, variant=variant, stop_at_violation=True)
        assert res["verdict"] == "FAIL" and not res["fixed_violated"], variant
    assert search_claim(TOY, quick=True)["verdict"] == "PASS"


def test_merge_record_has_exactly_the_five_fields(toy):
    res = search_claim(TOY, quick=True)
    assert set(res["search"]) == RECORD_FIELDS
    assert res["search"]["worst_ratio"] >= res["search"]["fixed_ratio"]
    json.dumps(res["search"])  # JSON-able (numpy scalars converted)
    inf = merge(TOY, [{"ratio": np.inf, "instance": {}, "violated": True, "evaluations": 1,
                       "fixed_ratio": np.inf, "fixed_violated": True}], True)
    assert inf["search"]["worst_ratio"] == 1e308 and inf["verdict"] == "FAIL"


def test_found_store_makes_a_rerun_start_from_the_saved_instance(toy, tmp_path):
    store = FoundStore(tmp_path)
    saved = {"x": 0.97, "y": 0.99, "u": [0.0, 0.0]}
    assert store.update(TOY, None, 0.97 * 0.99, saved, False)
    assert not store.update(TOY, None, 0.1, {"x": 0.1, "y": 1.0}, False)  # worse: kept
    units = plan(TOY, True, found=store)
    assert units[1]["start"] == saved and units[0]["start"] == "fixed"
    first = restart_unit(**units[1], budget=1)  # its first evaluation is the saved instance
    assert first["ratio"] == pytest.approx(0.97 * 0.99 / (1 + 1e-12), rel=1e-9)
    rows = search([TOY], quick=True, found=store, progress=False)
    assert rows[0]["search"]["worst_ratio"] >= 0.97 * 0.99 * (1 - 1e-9)
    assert store.get(TOY)["ratio"] >= 0.97 * 0.99 * (1 - 1e-9)
