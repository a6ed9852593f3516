"""Search spaces of the auxinfo claims: wrong bounds are found, fixed instances do not find
them, and the search never reports less than the fixed instances."""

import pytest

from search_helpers import check_true_search, check_wrong_bound, spaces

from theory_checks.search import excluded

IDS = spaces("auxinfo", "AUX-")


def test_every_inequality_claim_is_searched_or_excluded():
    assert set(IDS) == {"AUX-1", "AUX-2", "AUX-4", "AUX-14", "AUX-16", "AUX-17"}
    assert not set(IDS) & set(excluded(["auxinfo"]))


@pytest.mark.parametrize("claim_id", IDS)
def test_wrong_bound_found_by_search_only(claim_id):
    check_wrong_bound(claim_id)


@pytest.mark.parametrize("claim_id", IDS)
def test_search_passes_and_reaches_fixed_ratio(claim_id):
    check_true_search(claim_id)
