"""Search spaces of the spred claims: wrong bounds are found, fixed instances do not find them,
and the search never reports less than the fixed instances. Findings: SPRED-23's tolerance is
violated on other draws of its instance family, and SPRED-17's fixed budget of 40000 steps ends
before the gtol stop on instances with a small active row. SPRED-10's rate check lost its
precision once a zero coordinate had decayed into the subnormal range: such coordinates are now
left out as unmeasurable (regression test below)."""

import pytest

from search_helpers import check_finding, check_true_search, check_wrong_bound, spaces

from theory_checks.search import excluded

IDS = spaces("spred", "SPRED-")
# instances found by the quick search (recorded: a search's random restarts move with its
# budget, so the test rebuilds the instance rather than rerunning the search)
SUBNORMAL_SPRED_10 = {"n": 123, "d": 29, "s": 8, "rho": 0.4985286839104778,
                      "snr": 2.3231789044965914, "frac": 0.2781178990537785, "k": 53318,
                      "k_init": 384232}
FINDINGS = {
    "SPRED-17": {"active": 5, "d": 10, "frac": 0.2617964861028436, "k": 607910,
                 "k_init": 687241, "n": 75, "noise": 0.06364801424524723, "tasks": 4},
    "SPRED-23": {"eta": 1e-4, "k": 885652, "k_init": 587248},
}


def test_every_inequality_claim_is_searched_or_excluded():
    assert set(IDS) == {"SPRED-2", "SPRED-3", "SPRED-5", "SPRED-9", "SPRED-10", "SPRED-11",
                        "SPRED-12", "SPRED-13", "SPRED-14", "SPRED-15", "SPRED-16", "SPRED-17",
                        "SPRED-22", "SPRED-23", "SPRED-24"}
    assert not set(IDS) & set(excluded(["spred"]))


@pytest.mark.parametrize("claim_id", IDS)
def test_wrong_bound_found_by_search_only(claim_id):
    check_wrong_bound(claim_id)


@pytest.mark.parametrize("claim_id", sorted(set(IDS) - set(FINDINGS)))
def test_search_passes_and_reaches_fixed_ratio(claim_id):
    check_true_search(claim_id)


@pytest.mark.parametrize("claim_id", sorted(FINDINGS))
def test_reported_violation_reproduces(claim_id):
    check_finding(claim_id, FINDINGS[claim_id])


def test_spred_10_leaves_subnormal_coordinates_out():
    """The instance where w = uv had decayed to ~1e-320 (three significant digits) passes once
    those coordinates are left out, and the claim's details list them."""
    from theory_checks.search import load_spaces
    ratio, violated = load_spaces()["SPRED-10"].measure(SUBNORMAL_SPRED_10)
    assert not violated and ratio <= 1
