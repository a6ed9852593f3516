"""Claims: one spec item, one function, the measured value beside its bound.

A claim function has the signature ``fn(quick: bool, broken: str | None) -> Outcome``.
``broken`` names a deliberately wrong variant (declared in ``broken=(...)``) under which the
claim must FAIL; the test suite runs every declared variant and requires FAIL.
"""

import math
import time
import traceback
from dataclasses import dataclass, field

import numpy as np

PAPERS = ("base", "mast", "auxinfo", "spred", "ramda")
PROVENANCES = ("paper", "code", "secondary", "reconstruction", "derived", "empirical")
VERDICTS = ("PASS", "FAIL", "INFO")

# CLAIMS.md tolerances
EXACT_RTOL, EXACT_ATOL = 1e-10, 1e-12
INEQ_RTOL, INEQ_ATOL = 1e-12, 1e-14


@dataclass
class Outcome:
    """What a claim measured. ``margin >= 0`` exactly when the check holds."""
    measured: float
    bound: float
    margin: float
    verdict: str
    note: str = ""
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def upper(measured, bound, note="", details=None, rtol=INEQ_RTOL, atol=INEQ_ATOL):
    """Deterministic ``measured <= bound``, elementwise for arrays (all must hold).

    The rule is CLAIMS.md's ``measured <= bound * (1 + rtol) + atol`` (for a negative bound
    that is stricter than the bound itself, as written). The margin is the relative slack
    ``(bound*(1+rtol) + atol - measured) / |bound|``; the entry with the least margin is
    reported.
    """
    m = np.atleast_1d(np.asarray(measured, dtype=float))
    b = np.broadcast_to(np.atleast_1d(np.asarray(bound, dtype=float)), m.shape)
    slack = b * (1.0 + rtol) + atol - m
    # margin is relative to the bound, so entries near zero do not hide behind atol
    rel = slack / np.maximum(np.abs(b), atol)
    rel = np.where(np.isnan(rel), -np.inf, rel)
    i = int(np.argmin(rel))
    return Outcome(float(m.flat[i]), float(b.flat[i]), float(rel.flat[i]),
                   _verdict(rel.flat[i] >= 0), note, dict(details or {}, worst_index=i))


def lower(measured, bound, note="", details=None, rtol=INEQ_RTOL, atol=INEQ_ATOL):
    """Deterministic ``measured >= bound`` (elementwise), with CLAIMS.md's rounding allowance
    on the bound's side: ``measured >= bound - rtol |bound| - atol``.

    (Negating into :func:`upper` would give ``bound * (1 + rtol) - atol``, stricter than the
    bound itself for a positive bound, so an exactly attained lower bound could fail by one
    rounding error; the adversarial search found such an instance.)
    """
    m = np.atleast_1d(np.asarray(measured, dtype=float))
    b = np.broadcast_to(np.atleast_1d(np.asarray(bound, dtype=float)), m.shape)
    slack = m - b + rtol * np.abs(b) + atol
    rel = slack / np.maximum(np.abs(b), atol)
    rel = np.where(np.isnan(rel), -np.inf, rel)
    i = int(np.argmin(rel))
    return Outcome(float(m.flat[i]), float(b.flat[i]), float(rel.flat[i]),
                   _verdict(rel.flat[i] >= 0), note, dict(details or {}, worst_index=i))


def equal(measured, expected, note="", details=None, rtol=EXACT_RTOL, atol=EXACT_ATOL):
    """Exact identity ``measured == expected`` to ``rtol`` relative with ``atol`` floor.

    The allowed error per entry is ``max(rtol * |expected|, atol)`` (CLAIMS.md: relative 1e-10
    with absolute floor 1e-12). ``measured`` reports the error of the entry with the least
    slack, ``bound`` its allowed tolerance.
    """
    m = np.atleast_1d(np.asarray(measured, dtype=float))
    e = np.broadcast_to(np.atleast_1d(np.asarray(expected, dtype=float)), m.shape)
    err = np.abs(m - e)
    tol = np.maximum(rtol * np.abs(e), atol)
    slack = np.where(np.isnan(err), -np.inf, tol - err)
    i = int(np.argmin(slack))
    return Outcome(float(err.flat[i]), float(tol.flat[i]), float(slack.flat[i]),
                   _verdict(slack.flat[i] >= 0), note,
                   dict(details or {}, worst_index=i, value=float(m.flat[i]),
                        expected=float(e.flat[i])))


def from_mc(result, kind, note="", details=None):
    """Wrap a :class:`sketchopt.stats.MCResult`; ``kind`` is 'upper' or 'equal'.

    ``measured`` is the Monte Carlo mean of the entry with the least slack and ``bound`` that
    entry's bound (upper) or value (equality); ``margin`` is its slack in the rule's units.
    """
    i = result.worst
    mean, se = np.atleast_1d(result.mean), np.atleast_1d(result.se)
    target = float("nan") if result.target is None else float(np.atleast_1d(result.target).flat[i])
    det = dict(details or {}, rule=f"MC {kind}, z={result.z:.3f}", entries=int(mean.size),
               worst_entry=i, se=float(se.flat[i]))
    return Outcome(float(mean.flat[i]), target, float(result.margin), _verdict(result.passed),
                   note, det)


def predicate(ok, measured, bound, margin, note="", details=None):
    """A qualitative check (e.g. monotonicity) stated with its own margin."""
    return Outcome(float(measured), float(bound), float(margin), _verdict(bool(ok)), note,
                   dict(details or {}))


def info(measured, note="", details=None, sub=None):
    """Informational result; an optional PASS/FAIL sub-check ``sub`` (an Outcome) decides
    between INFO and FAIL.

    ``measured`` stays the informational value; the sub-check's measured value and bound go to
    ``details`` and its margin is the outcome's margin (>= 0 exactly when the sub-check holds).
    """
    if sub is not None:
        d = dict(details or {}, sub_check=sub.verdict, sub_note=sub.note,
                 sub_measured=sub.measured, sub_bound=sub.bound)
        verdict = "INFO" if sub.verdict == "PASS" else "FAIL"
        return Outcome(float(measured), float("nan"), sub.margin, verdict, note, d)
    return Outcome(float(measured), float("nan"), float("nan"), "INFO", note, dict(details or {}))


def combine(outcomes, note=""):
    """All sub-outcomes must pass; report the one with the least margin."""
    outcomes = list(outcomes)
    worst = min(outcomes, key=lambda o: (o.verdict != "FAIL", o.margin))
    # each part keeps its own details (instance margins, polish flags, worst entries)
    details = {f"part{k}": {"verdict": o.verdict, "measured": o.measured, "bound": o.bound,
                            "margin": o.margin, "note": o.note, **({"details": o.details}
                                                                   if o.details else {})}
               for k, o in enumerate(outcomes)}
    verdict = "FAIL" if any(o.verdict == "FAIL" for o in outcomes) else worst.verdict
    return Outcome(worst.measured, worst.bound, worst.margin, verdict, note or worst.note, details)


@dataclass
class Claim:
    """A registered claim. ``run`` never raises: an exception is a FAIL with its traceback."""
    id: str
    paper: str
    provenance: str
    statement: str
    func: object
    broken: tuple = ()

    def run(self, quick=True, broken=None):
        if broken is not None and broken not in self.broken:
            raise ValueError(f"{self.id} has no broken variant {broken!r}; "
                             f"declared: {self.broken}")
        t0 = time.perf_counter()
        try:
            out = self.func(quick=quick, broken=broken)
            if not isinstance(out, Outcome):
                raise TypeError(f"claim returned {type(out).__name__}, not Outcome")
        except Exception as exc:  # a crash is a failed check, never a silent pass
            out = Outcome(float("nan"), float("nan"), float("nan"), "FAIL",
                          f"error: {type(exc).__name__}: {exc}",
                          {"traceback": traceback.format_exc()})
        seconds = time.perf_counter() - t0
        return {"id": self.id, "paper": self.paper, "provenance": self.provenance,
                "statement": self.statement, "measured": _num(out.measured),
                "bound": _num(out.bound), "margin": _num(out.margin), "verdict": out.verdict,
                "note": out.note, "details": _jsonable(out.details), "seconds": seconds,
                "broken": broken}


def _num(x):
    x = float(x)
    return None if math.isnan(x) else x


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        return _num(obj) if not math.isinf(obj) else (1e308 if obj > 0 else -1e308)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    return obj


REGISTRY = {}


def claim(id, paper, provenance, statement, broken=()):
    """Register ``fn(quick, broken)`` as a claim.

    Parameters
    ----------
    id : str
        ``<PAPER>-<spec item>``, e.g. ``"MAST-C11"``.
    paper : str
        One of :data:`PAPERS`.
    provenance : str
        One of :data:`PROVENANCES`; never present a derived bound as the paper's.
    statement : str
        What is checked, naming the spec item.
    broken : tuple of str
        Names of deliberately wrong variants that must make the claim FAIL.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}, got {paper!r}")
    if provenance not in PROVENANCES:
        raise ValueError(f"provenance must be one of {PROVENANCES}, got {provenance!r}")

    def deco(fn):
        if id in REGISTRY:
            raise ValueError(f"claim id {id!r} registered twice")
        REGISTRY[id] = Claim(id, paper, provenance, statement, fn, tuple(broken))
        return fn
    return deco
