"""Adversarial instance search: maximise measured/bound over a claim's instance space.

A claim's *space* declares the parameters its theorem quantifies over (dimension, spectrum,
sketch and its p or K, step size within the theorem's restriction, shift, horizon, noise
levels, ...), each with its admissible range, and an ``evaluate(inst, variant)`` that returns
the claim's measured values beside their bounds, computed exactly (closed forms, enumeration,
exact moment recursions; never Monte Carlo). The search maximises the largest ratio
measured/bound by random restarts plus Nelder-Mead on a continuous parametrisation: a point
``z`` of R^n is folded into the unit box (a triangle wave, so the optimiser never leaves the
admissible set) and each unit coordinate is mapped onto its parameter's range.

Integer parameters named ``k...`` select random problem instances (the claim modules'
seeded generators); they are instance data evaluated exactly, not Monte Carlo seeds, so the
CLAIMS.md rule "never search seeds" is kept.

One restart is one work unit (:func:`restart_unit`), so restarts run on any executor of
:mod:`sketchopt.sweeps`. Restart 0 starts from the claim's fixed instances (evaluated first,
so the worst ratio found is never below the fixed-instance ratio), restart 1 from the worst
instance a previous run saved (if any), the others from the best of a batch of uniform random
points.
"""

import math
import zlib
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from sketchopt import stats

from .._framework import INEQ_ATOL, INEQ_RTOL

SEARCH_SEED = 20261213  # base seed of every search; per-claim seeds derive from it
SPACES = {}
QUICK, FULL = "quick", "full"


class Inadmissible(Exception):
    """Raised by a space when a point violates a hypothesis that the box cannot express
    (e.g. a helper Hessian that is not positive definite); the point is skipped."""


# ----------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Param:
    """One parameter of an instance space and its admissible range.

    Parameters
    ----------
    name : str
    low, high : float
        Admissible range (inclusive).
    kind : {"real", "log", "int", "choice"}
        ``log`` maps the unit interval log-uniformly; ``int`` onto the integers of
        [low, high]; ``choice`` onto ``choices``.
    size : int
        Length of a vector parameter (1: a scalar).
    choices : tuple
        Values of a ``choice`` parameter.
    default : object
        Value used when an instance does not give this parameter.
    """
    name: str
    low: float = 0.0
    high: float = 1.0
    kind: str = "real"
    size: int = 1
    choices: tuple = ()
    default: object = None

    def __post_init__(self):
        if self.kind not in ("real", "log", "int", "choice"):
            raise ValueError(f"kind must be real, log, int or choice, got {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice parameter {self.name!r} needs choices")
        if self.kind == "log" and not 0 < self.low <= self.high:
            raise ValueError(f"log parameter {self.name!r} needs 0 < low <= high")
        if self.kind != "choice" and self.low > self.high:
            raise ValueError(f"parameter {self.name!r}: low > high")

    def decode(self, u):
        """Value at unit coordinates ``u`` (array of length ``size``)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.kind == "real":
            val = self.low + u * (self.high - self.low)
        elif self.kind == "log":
            val = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        elif self.kind == "int":
            n = int(self.high) - int(self.low) + 1
            val = int(self.low) + np.minimum((u * n).astype(int), n - 1)
        else:
            n = len(self.choices)
            idx = np.minimum((u * n).astype(int), n - 1)
            val = [self.choices[i] for i in idx]
        if self.kind in ("real", "log"):
            val = [float(x) for x in val]
        elif self.kind == "int":
            val = [int(x) for x in val]
        return val[0] if self.size == 1 else val

    def encode(self, value):
        """Unit coordinates of ``value`` (the middle of its cell for int and choice)."""
        vals = np.atleast_1d(np.asarray(value, dtype=object)).tolist()
        if len(vals) != self.size:
            raise ValueError(f"{self.name}: expected {self.size} values, got {len(vals)}")
        if self.kind == "choice":
            n = len(self.choices)
            return np.array([(self.choices.index(v) + 0.5) / n for v in vals])
        x = np.array(vals, dtype=float)
        if self.kind == "int":
            n = int(self.high) - int(self.low) + 1
            return np.clip((np.round(x) - int(self.low) + 0.5) / n, 0.0, 1.0)
        if self.kind == "log":
            span = np.log(self.high) - np.log(self.low)
            return np.clip((np.log(x) - np.log(self.low)) / span if span > 0 else 0.5 + 0 * x,
                           0.0, 1.0)
        span = self.high - self.low
        return np.clip((x - self.low) / span if span > 0 else 0.5 + 0 * x, 0.0, 1.0)

    def widened(self, low, high):
        """The same parameter on another range (a dropped hypothesis)."""
        return Param(self.name, low, high, self.kind, self.size, self.choices, self.default)


def vector(name, size, low=-1.0, high=1.0, default=0.0):
    """A vector parameter of ``size`` real entries."""
    return Param(name, low, high, "real", size, default=[default] * size)


# ------------------------------------------------------------------------------ measures

@dataclass
class Measure:
    """Measured values beside their bounds: ``measured <= bound`` (``kind="upper"``) or
    ``measured >= bound`` (``"lower"``), with the CLAIMS.md tolerance of deterministic
    inequalities unless a claim states its own.

    The tolerance always favours the bound's side: ``measured <= bound (1 + rtol) + atol``
    (CLAIMS.md, upper) and ``measured >= bound - rtol |bound| - atol`` (lower). The claims'
    ``lower`` of :mod:`theory_checks._framework` applies the upper rule to ``-measured <=
    -bound``, which for a positive bound asks ``measured >= bound (1 + rtol) - atol``:
    stricter than the bound itself, so an exactly tight lower bound (e.g. P2 at a diagonal A
    with Bernoulli) fails by one rounding error; a search reaches such instances, a fixed
    check rarely does."""
    measured: np.ndarray
    bound: np.ndarray
    kind: str = "upper"
    rtol: float = INEQ_RTOL
    atol: float = INEQ_ATOL

    def ratios(self, scale=1.0):
        """The ratio of each entry to its tolerated bound: ``measured / (bound (1 + rtol) +
        atol)`` (upper) or ``(bound - rtol |bound| - atol) / measured`` (lower), so that a ratio
        above 1 is exactly a failure of the tolerance rule and values far below the absolute
        floor (e.g. iterates converged to rounding) do not count as tight. ``inf`` where the
        relation fails with a non-positive denominator or a value is not finite."""
        m = np.atleast_1d(np.asarray(self.measured, dtype=float))
        b = np.broadcast_to(np.atleast_1d(np.asarray(self.bound, dtype=float)) * scale,
                            m.shape)
        if self.kind == "upper":
            num, den = m, b * (1 + self.rtol) + self.atol
        else:
            num, den = b - self.rtol * np.abs(b) - self.atol, m
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(den > 0, num / den, np.where(self.violations(scale), np.inf, 0.0))
        return np.where(np.isfinite(m) & np.isfinite(b), r, np.inf)

    def violations(self, scale=1.0):
        """Entrywise failure of the tolerance rule (see the class docstring); non-finite
        values fail."""
        m = np.atleast_1d(np.asarray(self.measured, dtype=float))
        b = np.broadcast_to(np.atleast_1d(np.asarray(self.bound, dtype=float)) * scale,
                            m.shape)
        with np.errstate(invalid="ignore"):
            if self.kind == "upper":
                bad = m > b * (1 + self.rtol) + self.atol
            else:
                bad = m < b - self.rtol * np.abs(b) - self.atol
        return bad | ~np.isfinite(m) | ~np.isfinite(b)


def upper(measured, bound, rtol=INEQ_RTOL, atol=INEQ_ATOL):
    """``measured <= bound`` entrywise."""
    return Measure(np.asarray(measured, dtype=float), np.asarray(bound, dtype=float), "upper",
                   rtol, atol)


def lower(measured, bound, rtol=INEQ_RTOL, atol=INEQ_ATOL):
    """``measured >= bound`` entrywise (``bound > 0``: the ratio is bound/measured)."""
    return Measure(np.asarray(measured, dtype=float), np.asarray(bound, dtype=float), "lower",
                   rtol, atol)


# -------------------------------------------------------------------------------- spaces

@dataclass(frozen=True)
class Variant:
    """A deliberately wrong bound, for the tests that show a search can fail.

    ``bound_scale`` multiplies every bound (below 1: an upper constant made smaller; above
    1: a lower bound made larger); ``widen`` replaces parameter ranges (a dropped hypothesis,
    e.g. a step past its restriction); other wrong formulas are handled by the space's
    ``evaluate``, which receives the variant's name.
    """
    note: str
    bound_scale: float = 1.0
    widen: dict = field(default_factory=dict)


@dataclass
class Space:
    """The instance space of one claim.

    Attributes
    ----------
    claim_id : str
    params : tuple of Param
        The theorem's hypotheses as admissible ranges.
    evaluate : callable
        ``evaluate(inst, variant) -> Measure | list of Measure``, exact.
    fixed : callable
        ``fixed() -> list of dict``: the claim's fixed instances as points of the space.
    variants : dict of str -> Variant
        Wrong bounds (at least one; ``test_variant`` is the one the tests run).
    note : str
        What is searched and what is left out (shown with the results).
    budget : tuple of int
        Evaluations per restart in quick and full mode.
    restarts : tuple of int
        Restarts in quick and full mode.
    """
    claim_id: str
    params: tuple
    evaluate: object
    fixed: object
    variants: dict
    test_variant: str
    note: str = ""
    budget: tuple = (40, 300)
    restarts: tuple = (3, 12)

    def box(self, variant=None):
        """Parameters with the ranges of ``variant`` (its dropped hypotheses)."""
        widen = self.variants[variant].widen if variant else {}
        return tuple(p.widened(*widen[p.name]) if p.name in widen else p for p in self.params)

    def dim(self):
        return sum(p.size for p in self.params)

    def complete(self, inst):
        """``inst`` with every parameter present (missing ones take their default)."""
        out = {}
        for p in self.params:
            if p.name in inst:
                out[p.name] = inst[p.name]
            elif p.default is not None:
                out[p.name] = p.default
            else:
                out[p.name] = p.decode(np.full(p.size, 0.5))
        return out

    def decode(self, u, variant=None):
        inst, i = {}, 0
        for p in self.box(variant):
            inst[p.name] = p.decode(u[i:i + p.size])
            i += p.size
        return inst

    def encode(self, inst, variant=None):
        inst = self.complete(inst)
        return np.concatenate([p.encode(inst[p.name]) for p in self.box(variant)])

    def measure(self, inst, variant=None):
        """``(ratio, violated)`` at ``inst``: the largest ratio over the claim's entries and
        whether any entry fails its tolerance rule (``(-inf, False)`` if inadmissible)."""
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                out = self.evaluate(self.complete(inst), variant)
        except Inadmissible:
            return -np.inf, False
        scale = self.variants[variant].bound_scale if variant else 1.0
        measures = out if isinstance(out, (list, tuple)) else [out]
        ratio = max(float(np.max(m.ratios(scale))) for m in measures)
        violated = any(bool(np.any(m.violations(scale))) for m in measures)
        return ratio, violated


def space(claim_id, params, fixed, variants, test_variant, note="", budget=(40, 300),
          restarts=(3, 12)):
    """Register ``evaluate(inst, variant)`` as the search space of ``claim_id``."""
    if test_variant not in variants:
        raise ValueError(f"{claim_id}: test variant {test_variant!r} is not declared")

    def deco(fn):
        if claim_id in SPACES:
            raise ValueError(f"search space of {claim_id} registered twice")
        SPACES[claim_id] = Space(claim_id, tuple(params), fn, fixed, dict(variants),
                                 test_variant, note, tuple(budget), tuple(restarts))
        return fn
    return deco


# -------------------------------------------------------------------------------- search

def fold(z):
    """Triangle wave of period 2 onto [0, 1]: the optimiser moves freely in R^n and every
    point it visits is admissible."""
    t = np.mod(np.asarray(z, dtype=float), 2.0)
    return np.where(t <= 1.0, t, 2.0 - t)


class _Stop(Exception):
    pass


class _Tracker:
    """Counts evaluations and keeps the worst point (largest ratio) seen."""

    def __init__(self, sp, variant, budget, stop_at_violation):
        self.sp, self.variant, self.budget = sp, variant, budget
        self.stop_at_violation = stop_at_violation
        self.evaluations, self.ratio, self.instance, self.violated = 0, -np.inf, None, False

    def __call__(self, inst):
        if self.evaluations >= self.budget:
            raise _Stop
        self.evaluations += 1
        ratio, violated = self.sp.measure(inst, self.variant)
        if ratio > self.ratio or self.instance is None:
            self.ratio, self.instance = ratio, inst
        self.violated |= violated
        if violated and self.stop_at_violation:
            raise _Stop
        return ratio


def claim_seed(claim_id):
    """The search seed of one claim, derived from :data:`SEARCH_SEED` and the claim id."""
    return int(stats.derive_seeds(SEARCH_SEED + zlib.crc32(claim_id.encode()) % 10 ** 6,
                                  1)[0] % (2 ** 31 - 1))


def restart_unit(claim_id, restart, quick, variant=None, start=None, budget=None,
                 stop_at_violation=False):
    """One restart of the search of ``claim_id`` (a work unit).

    Parameters
    ----------
    claim_id : str
    restart : int
        Restart number; its random stream is the ``restart``-th seed derived from the
        claim's seed.
    quick : bool
        Selects the quick budget.
    variant : str, optional
        A wrong-bound variant of the space (tests only).
    start : None, "fixed" or dict
        Where Nelder-Mead starts: a random point, the claim's fixed instances (all are
        evaluated first and the worst is the start) or a given instance.
    budget : int, optional
        Evaluations (default: the space's budget for the mode).
    stop_at_violation : bool
        Stop at the first violated instance.

    Returns
    -------
    dict
        ``ratio, instance, violated, evaluations`` and, for ``start="fixed"``,
        ``fixed_ratio, fixed_violated``.
    """
    from . import load_spaces
    sp = load_spaces()[claim_id]
    budget = budget or sp.budget[0 if quick else 1]
    seed = stats.derive_seeds(claim_seed(claim_id), restart + 1)[restart]
    rng = np.random.default_rng(seed)
    track = _Tracker(sp, variant, budget + (len(sp.fixed()) if start == "fixed" else 0),
                     stop_at_violation)
    out = {}
    try:
        if start == "fixed":
            fixed = [sp.complete(f) for f in sp.fixed()]
            ratios = [track(f) for f in fixed]
            out.update(fixed_ratio=float(max(ratios)), fixed_violated=track.violated)
            u0 = sp.encode(fixed[int(np.argmax(ratios))], variant)
        elif isinstance(start, dict):
            track(sp.complete(start))
            u0 = sp.encode(start, variant)
        else:  # a random restart: a quarter of the budget on uniform points, then NM
            pts = rng.random((max(1, budget // 4), sp.dim()))
            ratios = [track(sp.decode(u, variant)) for u in pts]
            u0 = pts[int(np.argmax(ratios))]
        _nelder_mead(sp, variant, track, u0, rng)
    except _Stop:
        pass
    out.update(ratio=float(track.ratio), instance=_plain(track.instance),
               violated=bool(track.violated), evaluations=int(track.evaluations))
    return out


def _nelder_mead(sp, variant, track, u0, rng):
    """Nelder-Mead from ``u0`` until the budget is spent; when it converges early it starts
    again from a perturbation of the best point (smaller each time), then from random
    points."""
    n = u0.size
    z0, step = u0.copy(), 0.15
    while True:
        simplex = np.vstack([z0, z0 + step * np.eye(n)])
        f = lambda z: -track(sp.decode(fold(z), variant))  # noqa: E731
        minimize(f, z0, method="Nelder-Mead",
                       options={"initial_simplex": simplex, "xatol": 1e-9, "fatol": 1e-14,
                                "adaptive": n > 4, "maxfev": 10 ** 9})
        step /= 3
        if step > 1e-4:  # shake the best point found so far
            z0 = sp.encode(track.instance, variant) + step * rng.standard_normal(n)
        else:
            z0, step = rng.random(n), 0.15


def _plain(inst):
    """JSON-able copy of an instance (numpy scalars become Python numbers)."""
    if inst is None:
        return None
    out = {}
    for k, v in inst.items():
        if isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, np.generic):
            v = v.item()
        out[k] = v
    return out


def merge(claim_id, results, quick, variant=None):
    """Combine the restarts of one claim into its ``search`` record and verdict.

    Returns
    -------
    dict
        ``search`` (exactly ``fixed_ratio, worst_ratio, worst_instance, evaluations, seed``),
        ``verdict`` (FAIL if any evaluated instance violated the bound beyond the CLAIMS.md
        tolerance) and ``fixed_violated``.
    """
    fixed = [r for r in results if "fixed_ratio" in r]
    best = max(results, key=lambda r: r["ratio"])
    record = {"fixed_ratio": _finite(fixed[0]["fixed_ratio"]) if fixed else None,
              "worst_ratio": _finite(best["ratio"]), "worst_instance": best["instance"],
              "evaluations": int(sum(r["evaluations"] for r in results)),
              "seed": claim_seed(claim_id)}
    violated = any(r["violated"] for r in results)
    return {"search": record, "verdict": "FAIL" if violated else "PASS",
            "fixed_violated": bool(fixed and fixed[0]["fixed_violated"]),
            "mode": QUICK if quick else FULL, "variant": variant}


def _finite(x):
    """JSON has no infinity: a non-finite ratio is written as 1e308 (as the claims do)."""
    return x if math.isfinite(x) else (1e308 if x > 0 else -1e308)
