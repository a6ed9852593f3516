"""Shared checks of the search-space tests (issue 13, point 3): a space's wrong-bound variant is
caught by the search within the quick budget and not by the fixed instances, and the true
search never reports less than the fixed-instance ratio."""

from theory_checks.search import load_spaces, restart_unit, search_claim


def spaces(paper, prefix):
    """Claim ids of ``paper`` that declare a search space."""
    return sorted(c for c in load_spaces([paper]) if c.startswith(prefix))


def check_wrong_bound(claim_id):
    """The test variant: no fixed instance violates it, the quick search does."""
    sp = load_spaces()[claim_id]
    variant = sp.test_variant
    fixed = [sp.measure(sp.complete(f), variant) for f in sp.fixed()]
    assert not any(v for _, v in fixed), f"{claim_id}/{variant}: a fixed instance catches it"
    res = search_claim(claim_id, quick=True, variant=variant, stop_at_violation=True)
    assert res["verdict"] == "FAIL", (f"{claim_id}/{variant}: not found within the quick "
                                      f"budget (worst ratio {res['search']['worst_ratio']})")


def check_true_search(claim_id):
    """The quick search of the claim itself: PASS (every derived bound here holds) and the worst
    ratio is at least the fixed-instance ratio."""
    res = search_claim(claim_id, quick=True)
    s = res["search"]
    assert res["verdict"] == "PASS", f"{claim_id}: violated at {s['worst_instance']}"
    assert s["worst_ratio"] >= s["fixed_ratio"]


def check_finding(claim_id, instance):
    """A bound the search found violated (a finding reported, not a test to loosen): the
    recorded instance still violates it, and a search started from it (as a rerun starts from
    the stored worst instance) reports FAIL."""
    sp = load_spaces()[claim_id]
    ratio, violated = sp.measure(instance)
    assert violated and ratio > 1, f"{claim_id}: the recorded instance no longer violates"
    res = restart_unit(claim_id, 1, quick=True, start=instance, budget=1)
    assert res["violated"] and res["ratio"] == ratio
