"""Search spaces of the MAST inequality claims (P2-P7, T1-T6 and the claims built on them).

Every space evaluates the claim's own measured and bound functions of
:mod:`theory_checks.mast` exactly: enumeration of all sketch outcomes, exact moment recursions
(:class:`sketchopt.exact.LinearRecursion`), never Monte Carlo. Instances are points of the
MAST family of :mod:`._mast_family` (quadratic, Rand-K or Bernoulli sketch, shift and start
as offsets), plus each theorem's own parameters (step as a fraction of its restriction,
horizon, refresh probability, nodes). The claims' fixed instances are points of each space
(up to a translation, under which every MAST quantity here is invariant).

A claim's ratio is the largest ratio over its entries. Entries at t = 0, where a rate bound
equals the measured value by construction, are left out (as for BASE-1).
"""

from functools import lru_cache

import numpy as np

from sketchopt.mast_objective import saa_minimizer
from sketchopt.methods.mast_exact import (averaged_fgap_exact, distributed_outcomes,
                                          dsgd_exact, dsgd_recursion, t1_bound,
                                          trajectory_stats)
from sketchopt.oracles._mast import mast_distributed_quadratic, mast_quadratic
from sketchopt.problems import Logistic
from sketchopt.sketches import Bernoulli, RandK

from .. import mast as C
from .._framework import INEQ_ATOL, INEQ_RTOL
from ._common import as_offset, head, offset
from ._engine import Param, Variant, lower, space, upper
from ._mast_family import (DMAX, SKETCH, bernoulli_p, fixed_point, offset_params,
                           problem_params, quadratic, shifted, sketch, sketch_point)

EXCLUDED = {
    "MAST-C1": "identities E[S] = I, E[S'S] (exact and Monte Carlo): no inequality",
    "MAST-C2": "identity E[S'AS] (enumeration and Monte Carlo): no inequality",
    "MAST-C3": "identity f_D = f + 1/2 w'(H - A)w: no inequality",
    "MAST-C4": "identity grad f_D(x*_D) = 0 and a Monte Carlo slope range (SAA rate): no "
               "bound with constants",
    "MAST-C5": "gap formula identity; its inequality gap >= 0 has the bound 0 (no constant "
               "whose tightness a ratio can measure) and is implied by P6(c), searched in "
               "MAST-C9",
    "MAST-C10": "identity E grad f_S = grad f_D (enumeration and Monte Carlo): no inequality",
    "MAST-C20": "empirical trend over q (monotone iteration counts): no bound",
    "MAST-C21": "empirical (bootstrap CI of a Monte Carlo loss difference on logistic "
                "regression): no exact route, no bound with constants",
}

STEP = Param("step", 1e-3, 1.0, "log", default=1.0)  # a fraction of the theorem's step cap
HORIZON = Param("T", 1.0, 1000.0, "log", default=100.0)  # rounded to an integer


# evaluations per restart and restarts (quick, full): evaluations cost milliseconds
BUDGET, RESTARTS = (200, 2000), (4, 12)


def _space(*args, **kw):
    """:func:`space` with this module's budget."""
    return space(*args, **{"budget": BUDGET, "restarts": RESTARTS, **kw})


def _step_past(cap):
    """The wrong-bound variant that drops the step restriction: the step fraction in
    [cap/8, cap] (log-uniform), so most of the box lies past the theorem's restriction 1."""
    return Variant(f"step from {cap / 8:g} up to {cap:g} times the theorem's restriction",
                   widen={"step": (cap / 8, float(cap))})


def _mq(inst, v_name="v"):
    """``(mast_quadratic, sketch)`` of an instance, the shift ``v = x* + r_v u_v``."""
    A, b, x_star = quadratic(inst)
    sk = sketch(inst)
    return mast_quadratic(A, b, shifted(inst, x_star, v_name), sk), sk


def _diff_atol(*values):
    """Absolute floor (entrywise) for a measured value computed as a difference of the
    ``values`` or from quantities derived from them (``f^inf`` is computed from ``f(v)``): its
    rounding error is relative to their size, not to the difference, so the CLAIMS.md
    relative tolerance is applied to that size, as the claim's own comparison (e.g.
    ``f_D(x) <= f(x) + ...``) applies it."""
    return INEQ_ATOL + INEQ_RTOL * np.abs(np.broadcast_arrays(*values)).max(axis=0)


def _fixed_mq(d, k, sk, A, b, v, **kw):
    """A fixed instance with the shift of the claim (offset from x*)."""
    return fixed_point(d, k, sk, {"v": (v, np.linalg.solve(A, b))}, **kw)


# ------------------------------------------------------------------ P2-P5 (C6, C7, C8)

@lru_cache(maxsize=None)
def _c6_fixed():
    return [fixed_point(sk.d, 20 + k, sk)
            for k, sk in enumerate((RandK(7, 2), Bernoulli(C._bern_p(7, 5)), RandK(9, 4)))]


@_space("MAST-C6", problem_params(dmax=DMAX) + SKETCH, _c6_fixed,
       {"constants_tighter": Variant("mu_D and L_D moved 5% towards each other (the "
                                     "strong-convexity side x1.05, the smoothness side "
                                     "x0.95)")},
       "constants_tighter",
       note="P2, P3 over d <= 10, the spectrum (generator, conditioning, diagonal blend, "
            "power) and the sketch (Rand-K, K; Bernoulli p in [0.05, 0.95]); the claim's "
            "A = I equality is not a fixed point (it is an identity)")
def mast_c6(inst, variant):
    A, _, _ = quadratic(inst)
    sk = sketch(inst)
    L_D, mu_D = C._paper_LD_muD(sk)
    if variant == "constants_tighter":
        L_D, mu_D = 0.95 * L_D, 1.05 * mu_D
    (lo, lo_bound), (hi, hi_bound) = C.p2_p3_sides(A, sk, L_D, mu_D)
    return [lower(lo, lo_bound), upper(hi, hi_bound)]


@lru_cache(maxsize=None)
def _c7_fixed():
    cases = [(RandK(7, 2), False), (Bernoulli(C._bern_p(7, 6)), False),
             (Bernoulli(0.3, 7), False), (Bernoulli(C._bern_p(7, 7)), True),
             (Bernoulli(C._bern_p(9, 8)), False)]
    return [fixed_point(sk.d, 30 + k, sk, identity=eye) for k, (sk, eye) in enumerate(cases)]


@_space("MAST-C7", problem_params(dmax=DMAX) + SKETCH, _c7_fixed,
       {"max_for_product": Variant("kappa(A) kappa_D replaced by max(kappa(A), kappa_D) "
                                   "(equal on the claim's A = I instance, which is tight)")},
       "max_for_product",
       note="P4 over d <= 10, the spectrum and the sketch; tight (ratio 1) at A = I with "
            "Bernoulli, a fixed instance, so a smaller constant is caught there and the "
            "wrong-bound variant is a subtler formula")
def mast_c7(inst, variant):
    A, _, _ = quadratic(inst)
    sk = sketch(inst)
    L_D, mu_D = C._paper_LD_muD(sk)
    kH, bound = C.p4_sides(A, sk, L_D / mu_D)
    if variant == "max_for_product":
        eA = np.linalg.eigvalsh(A)
        bound = max(eA[-1] / eA[0], L_D / mu_D)
    return upper(kH, bound)


@lru_cache(maxsize=None)
def _c8_fixed():
    out = []
    for k, sk in enumerate((RandK(7, 2), Bernoulli(C._bern_p(7, 9)))):
        A, b, v = C._problem(7, 40 + k)
        x_star = np.linalg.solve(A, b)
        for x in C._rng(41 + k).standard_normal((10, 7)) * 2:
            out.append(fixed_point(7, 40 + k, sk, {"v": (v, x_star), "x": (x, v)}))
    return out


# P5 depends on x and v only through w = x - v; bounded offsets keep f_D(x) - f(x), a
# difference of two values of size ||x||^2, accurate far below the 1e-12 relative tolerance
_C8_OFFSETS = tuple(p.widened(0.1, 10.0) if p.name.startswith("r") else p
                    for p in offset_params("v") + offset_params("x"))


@_space("MAST-C8", problem_params(dmax=DMAX) + SKETCH + _C8_OFFSETS, _c8_fixed,
       {"smaller_constant": Variant("the constants 1/2 of both sides replaced by 0.3",
                                    bound_scale=0.6)},
       "smaller_constant",
       note="P5 on quadratics (exact enumeration): f_D(x) - f(x) against mu_f/2 and L_f/2 "
            "times w'(E[S'S] - I)w, w = x - v, over d <= 10, the spectrum, the sketch, v and "
            "x (offsets of size 0.1 to 10); the claim's logistic half is Monte Carlo and "
            "not searched. The fixed instances reach 0.5 on the upper side, so the constant is "
            "made 0.6 times smaller, not halved (on the lower side that loosens the bound)")
def mast_c8(inst, variant):
    A, b, x_star = quadratic(inst)
    sk = sketch(inst)
    v = shifted(inst, x_star, "v")
    x = shifted(inst, v, "x")
    vals, w = sk.enumerate()
    eA = np.linalg.eigvalsh(A)
    fd, f, var = C.p5_sides(A, b, v, vals, w, C._paper_second_moment(sk) - 1.0, x)
    atol = _diff_atol(fd, f)
    return [upper(fd - f, eA[-1] / 2 * var, atol=atol),
            lower(fd - f, eA[0] / 2 * var, atol=atol)]


# ------------------------------------------------------------------------ P6 (C9)

@lru_cache(maxsize=None)
def _c9_fixed():
    kinds = [{"k": 50}, {"k": 51}, {"k": 52}] + [{"k": 0, "identity": True}] * 4 + \
        [{"k": 57, "family": "rotated", "cond": 3.0}]
    return [_fixed_mq(sk.d, kw["k"], sk, A, b, v, **{k: x for k, x in kw.items() if k != "k"})
            for (A, b, v, sk, _), kw in zip(C._c9_cases(), kinds)]


@_space("MAST-C9", problem_params(dmax=DMAX) + SKETCH + offset_params("v"), _c9_fixed,
       {"constants_tighter": Variant("every P6 constant 10% smaller", bound_scale=0.9)},
       "constants_tighter",
       note="P6 (b), (c), (d) over d <= 10, the spectrum, the sketch and v - x*; the claim's "
            "near-tight instances (A = I, Rand-K with q = 7/8, 1/2, 1/4) are fixed points")
def mast_c9(inst, variant):
    mq, sk = _mq(inst)
    terms = C.p6_terms(mq, C._paper_LD_muD(sk)[0])
    # (c) measures f(x*_D) - f^inf, with f^inf computed from f(v)
    atol = {"c": _diff_atol(mq.f(mq.x_star_D), mq.f(mq.v), mq.f_inf)}
    return [upper(m, bd, atol=atol.get(part, INEQ_ATOL)) for part, (m, bd) in terms.items()]


# ----------------------------------------------------------------- T1 (C11, C12, C13)

C11_T = 200  # the claim's quick horizon


@lru_cache(maxsize=None)
def _c11_fixed():
    A, b, v = C._problem(8, 70)
    sk = RandK(8, 3)
    mq = mast_quadratic(A, b, v, sk)
    x0 = v + 2 * C._rng(71).standard_normal(8)
    return [fixed_point(8, 70, sk, {"v": (v, mq.x_star), "x0": (x0, mq.x_star_D)}, step=frac)
            for frac in (1.0, 0.5, 0.1)]


@_space("MAST-C11", problem_params(dmax=8, default_d=8) + SKETCH + offset_params("v")
       + offset_params("x0") + (STEP,), _c11_fixed,
       {"step_past_bound": _step_past(4.0)}, "step_past_bound",
       note="T1 by the exact recursion, 1 <= t <= 200 and t -> infinity, over d <= 8, the "
            "spectrum, the sketch, v - x*, x_0 - x*_D and step in (0, 1]/(L_f L_S^max); the "
            "claim's d = 50 Monte Carlo half is not searched")
def mast_c11(inst, variant):
    mq, sk = _mq(inst)
    x0 = shifted(inst, mq.x_star_D, "x0")
    step = inst["step"] / (mq.L_f * mq.L_S_max)
    rec = C._c11_recursion(mq, step, sk, None)
    dist2 = np.trace(rec.moments(x0 - mq.x_star_D, C11_T)[1], axis1=1, axis2=2)
    t = np.arange(C11_T + 1)
    r0 = np.sum((x0 - mq.x_star_D) ** 2)
    return [upper(dist2[1:], t1_bound(mq, step, t, r0)[1:]),
            upper(C._stationary_trace(rec), t1_bound(mq, step, 1, 0.0))]


C12_T = 150  # the claim's quick horizon


@lru_cache(maxsize=None)
def _c12_fixed():
    A, b, _ = C._problem(7, 80)
    x_star = np.linalg.solve(A, b)
    x0 = x_star + C._rng(82).standard_normal(7)
    v_b = x_star.copy()
    v_b[:3] += C._rng(81).standard_normal(3)
    p = C._bern_p(7, 12)
    p[:3] = p[3]  # in the space, the mismatched coordinates' p is p_mismatch (= 1)
    out = []
    for frac in (1.0, 0.5):
        step = {"step": frac}
        out += [fixed_point(7, 80, RandK(7, 2), {"x0": (x0, x_star)}, interp="v_is_xstar",
                            **step),
                fixed_point(7, 80, Bernoulli(p), {"x0": (x0, x_star), "v": (v_b, x_star)},
                            interp="bernoulli_p1", m=3, **step),
                # A_diag = diag(linspace(0.2, 2, 7)): the diagonal family at cond 10 (the
                # scale of A does not matter with the step a fraction of 1/(L_f L_S^max))
                fixed_point(7, 0, RandK(7, 2), {"x0": (x0, x_star)}, family="diagonal",
                            cond=10.0, interp="v_is_xstar", **step)]
    return out


@_space("MAST-C12", problem_params(dmax=DMAX) + SKETCH + offset_params("v")
       + offset_params("x0") + (STEP,
                                Param("interp", kind="choice",
                                      choices=("v_is_xstar", "bernoulli_p1"),
                                      default="v_is_xstar"),
                                Param("m", 1, DMAX - 1, "int", default=1),
                                Param("p_mismatch", 1.0, 1.0, default=1.0)),
       _c12_fixed,
       {"step_past_bound": _step_past(2.2),
        "mismatch_not_kept": Variant("interpolation dropped: p on the coordinates where v "
                                     "and x* differ down to 0.5 (hypothesis p_i = 1)",
                                     widen={"p_mismatch": (0.5, 1.0)})},
       "step_past_bound",
       note="T1 under interpolation (exact recursion, 1 <= t <= 150): v = x* with Rand-K or "
            "Bernoulli, or Bernoulli with p_i = 1 on the m coordinates where v and x* "
            "differ; over d <= 10, the spectrum, x_0 - x* and step in (0, 1]/(L_f L_S^max). "
            "The claim's absolute 1e-14 thresholds on the gap and sigma*^2 are not "
            "searched (no constant)")
def mast_c12(inst, variant):
    A, b, x_star = quadratic(inst)
    d = inst["d"]
    if inst["interp"] == "v_is_xstar":
        v, sk = x_star, sketch(inst)
    else:
        m = min(inst["m"], d - 1)
        v = x_star + np.where(np.arange(d) < m, head(inst, "v", d) * inst["rv"], 0.0)
        p = bernoulli_p(inst)
        p[:m] = inst["p_mismatch"]
        sk = Bernoulli(p)
    mq = mast_quadratic(A, b, v, sk)
    x0 = shifted(inst, x_star, "x0")
    step = inst["step"] / (mq.L_f * mq.L_S_max)
    t = np.arange(C12_T + 1)
    r0 = np.sum((x0 - x_star) ** 2)
    dist2 = dsgd_exact(mq, x0, step, C12_T)["dist2"]
    return upper(dist2[1:], C.interpolation_rate(mq, step, t, r0)[1:])


@lru_cache(maxsize=None)
def _c13_fixed():
    out = []
    for k, sk in enumerate((RandK(7, 2), Bernoulli(C._bern_p(7, 13)))):
        A, b, v = C._problem(7, 90 + k)
        out.append(_fixed_mq(7, 90 + k, sk, A, b, v, step=0.25))
    return out


@_space("MAST-C13", problem_params(dmax=DMAX) + SKETCH + offset_params("v") + (STEP,),
       _c13_fixed, {"step_past_bound": _step_past(2.5)}, "step_past_bound",
       note="the T1 neighbourhood bound on the exact stationary E||x_inf - x*_D||^2 over "
            "d <= 10, the spectrum, the sketch, v - x* and step in (0, 1]/(L_f L_S^max) (the "
            "claim's step 1/4 is a fixed point); the claim's proportionality N(g)/g within "
            "10% is an amendment tolerance, not a bound, and is not searched")
def mast_c13(inst, variant):
    mq, sk = _mq(inst)
    step = inst["step"] / (mq.L_f * mq.L_S_max)
    return upper(C._stationary_dist2(mq, step, *sk.enumerate()), t1_bound(mq, step, 1, 0.0))


# ------------------------------------------------------------------------- P7 (C14)

@lru_cache(maxsize=None)
def _c14_fixed():
    out = []
    for k, sk in enumerate((RandK(7, 2), Bernoulli(C._bern_p(7, 14)))):
        A, b, v = C._problem(7, 100 + k)
        x_star = np.linalg.solve(A, b)
        for x in C._rng(101 + k).standard_normal((20, 7)) * 2:
            out.append(fixed_point(7, 100 + k, sk, {"v": (v, x_star), "x": (x, v)}))
    return out


@_space("MAST-C14", problem_params(dmax=DMAX) + SKETCH + offset_params("v")
       + offset_params("x"), _c14_fixed,
       {"smaller_constant": Variant("the constant 2 of both P7 bounds replaced by 1.6 (the "
                                    "fixed instances reach 0.74, so halving is caught there)",
                                    bound_scale=0.8)},
       "smaller_constant",
       note="P7 (exact enumeration): sigma*^2 <= 2 L_f L_S^max (f_D^inf - f^inf) and, for "
            "every sketch outcome, ||grad f_S(x)||^2 <= 2 L_f L_S (f_S(x) - f^inf), over "
            "d <= 10, the spectrum, the sketch, v - x* and x - v")
def mast_c14(inst, variant):
    mq, sk = _mq(inst)
    x = shifted(inst, mq.v, "x")
    vals, w = sk.enumerate()
    g2, fS = C.p7_pointwise(mq.A, mq.b, mq.v, vals, x)
    return [upper(C.p7_sigma2(mq, vals, w), 2 * mq.L_f * mq.L_S_max * mq.gap),
            upper(g2, 2 * mq.L_f * np.max(vals ** 2, axis=1) * (fS - mq.f_inf),
                  atol=_diff_atol(fS, mq.f(mq.v), mq.f_inf))]


# ------------------------------------------------------------------------- T2 (C15)

@lru_cache(maxsize=None)
def _c15_fixed():
    A, b, _ = C._problem(7, 110)
    v = np.linalg.solve(A, b) + C._rng(112).standard_normal(7)
    mq = mast_quadratic(A, b, v, RandK(7, 2))
    x0 = v + 3 * C._rng(111).standard_normal(7)
    return [fixed_point(7, 110, RandK(7, 2), {"v": (v, mq.x_star), "x0": (x0, mq.x_star_D)},
                        T=float(T), step=1.0) for T in (10, 100, 1000)]


@_space("MAST-C15", problem_params(dmax=8) + SKETCH + offset_params("v") + offset_params("x0")
       + (STEP.widened(1e-2, 1.0), HORIZON), _c15_fixed,
       {"step_past_bound": _step_past(10.0)}, "step_past_bound",
       note="T2 on quadratics (exact recursion): min_{t<T} E||grad f_D(x_t)||^2 over d <= 8, "
            "the spectrum, the sketch, v - x*, x_0 - x*_D, T in [1, 1000] and step in "
            "[0.01, 1] times 1/(L_f sqrt(L_D L_S^max T)) (the derivation, Khaled-Richtarik "
            "with B = 0, holds for every step up to it); the claim's non-convex Monte Carlo "
            "half is not searched")
def mast_c15(inst, variant):
    mq, sk = _mq(inst)
    T = int(round(inst["T"]))
    x0 = shifted(inst, mq.x_star_D, "x0")
    step = inst["step"] * C._t2_step(mq.L_f, mq.L_D, mq.L_S_max, T, None)
    rec = dsgd_recursion(mq.A, mq.b, mq.v, *sk.enumerate(), step, mq.x_star_D)
    grad2 = trajectory_stats(rec, mq.H, x0 - mq.x_star_D, T)["grad2"][:T]
    return upper(grad2.min(), C.t2_bound(mq, x0, step, T))


# ------------------------------------------------------------------ T3 template (C16)

def _c16_data(inst):
    """Rows Gaussian (optionally of equal norm), times ``xs``; labels independent of X
    (``random``, as in the claim) or a linear model's signs flipped with prob. ``noise``."""
    n, d, k = inst["n"], inst["d"], inst["k"]
    X = C._rng(k).standard_normal((n, d))
    if inst["norm"] == "equal":
        X *= np.sqrt(d) / np.linalg.norm(X, axis=1, keepdims=True)
    X = X * inst["xs"]
    u = C._rng(k + 1).random(n)
    if inst["labels"] == "random":
        return X, np.where(u < 0.5, -1.0, 1.0)
    s = np.where(X @ C._rng(k + 2).standard_normal(d) >= 0, 1.0, -1.0)
    return X, np.where(u < inst["noise"], -s, s)


C16_PARAMS = (Param("n", 10, 200, "int", default=200), Param("d", 2, 8, "int", default=8),
              Param("k", 0, 300, "int", default=160),
              Param("lam", 1e-3, 10.0, "log", default=0.1),
              Param("xs", 0.1, 10.0, "log", default=1.0),
              Param("norm", kind="choice", choices=("equal", "gaussian"), default="equal"),
              Param("labels", kind="choice", choices=("random", "model"), default="random"),
              Param("noise", 0.0, 0.5, default=0.0),
              Param("v", -1.0, 1.0, size=DMAX, default=[0.0] * DMAX),
              Param("rv", 0.0, 10.0, default=0.0),
              *offset_params("x"))


@lru_cache(maxsize=None)
def _c16_fixed():
    base = {"n": 200, "d": 8, "k": 160, "lam": 0.1, "xs": 1.0, "norm": "equal",
            "labels": "random", "noise": 0.0, "v": [0.0] * DMAX, "rv": 0.0,
            **sketch_point(RandK(8, 2))}
    X, y = _c16_data(base)
    vals, w = RandK(8, 2).enumerate()
    x_D = saa_minimizer(Logistic(X, y, l2=0.1), np.zeros(8), vals, w)
    out = []
    for x in np.vstack([x_D, x_D + 0.3 * C._rng(162).standard_normal((4, 8))]):
        u, r = as_offset(x, DMAX)
        out.append({**base, "x": u, "rx": r})
    return out


@_space("MAST-C16", C16_PARAMS + SKETCH, _c16_fixed,
       {"halved": Variant("the constant 2 of E||g||^2 <= 2 A (f_D(x) - fbar) halved",
                          bound_scale=0.5)},
       "halved",
       note="the option-II second-moment bound on finite-sum l2-logistic (exact over every "
            "sketch outcome and data point) over n <= 200, d <= 8, data (norms, scale, "
            "labels), lambda in [1e-3, 10], the sketch, v and x; the claim's T1 Monte Carlo "
            "half is not searched")
def mast_c16(inst, variant):
    X, y = _c16_data(inst)
    d = inst["d"]
    sk = sketch(inst)
    vals, w = sk.enumerate()
    v = head(inst, "v", d) * inst["rv"]
    x = shifted(inst, v, "x")
    A_hat, fbar = C.option2_constants(X, y, inst["lam"], sk.L_S_max)
    g2, fD = C._option2_moments(X, y, inst["lam"], v, vals, w, x)
    return upper(g2, 2 * A_hat * (fD - fbar))


# ------------------------------------------------------------------------- T4 (C17)

C17_T = 300  # shorter than the claim's 6000: the search evaluates many instances


@lru_cache(maxsize=None)
def _c17_fixed():
    A, b, v = C._problem(7, 170, alpha=1.0)
    sk = RandK(7, 2)
    mq = mast_quadratic(A, b, v, sk)
    x0 = v + C._rng(171).standard_normal(7)
    return [fixed_point(7, 170, sk, {"v": (v, mq.x_star), "x0": (x0, mq.x_star_D)},
                        alpha=1.0, step=1.0, p=1.0 / sk.n_outcomes)]


@_space("MAST-C17", problem_params(dmax=7) + SKETCH + offset_params("v") + offset_params("x0")
       + (STEP, Param("p", 1e-2, 1.0, "log", default=0.05)), _c17_fixed,
       {"step_past_bound": _step_past(6.0)}, "step_past_bound",
       note="the T4 Lyapunov contraction E Phi_t <= (1 - min(step mu_f mu_D, p/2))^t Phi_0 "
            "of L-SVRDSG with b = N (exact recursion, 1 <= t <= 300) over d <= 7, the "
            "spectrum, the sketch, v - x*, x_0 - x*_D, refresh probability p in [0.01, 1] and "
            "step in (0, 1]/(6 L_f L_S^max) (the L-SVRG template's restriction; at the "
            "claim's step the rate is the claim's); the b = N 1e-20 threshold and the b < N "
            "Monte Carlo plateau are not searched")
def mast_c17(inst, variant):
    mq, sk = _mq(inst)
    vals, w = sk.enumerate()
    x0 = shifted(inst, mq.x_star_D, "x0")
    step = inst["step"] / (6 * mq.L_f * mq.L_S_max)
    _, Phi = C.t4_lyapunov(mq.A, mq.b, mq.v, vals, w, step, inst["p"], mq.x_star_D,
                           x0 - mq.x_star_D, C17_T)
    t = np.arange(C17_T + 1)
    return upper(Phi[1:], C.t4_rate(mq, step, inst["p"]) ** t[1:] * Phi[0])


# ------------------------------------------------------------------------- T5 (C18)

C18_PARAMS = (Param("M", 2, 3, "int", default=3), Param("q", 1, 2, "int", default=2),
              Param("server", kind="choice", choices=("perm", "independent"), default="perm"),
              Param("k", 0, 300, "int", default=180),
              Param("alpha", 0.05, 2.0, "log", default=0.2),
              Param("nodes", kind="choice", choices=("heterogeneous", "shared"),
                    default="heterogeneous"),
              *offset_params("v"), *offset_params("x0"), STEP.widened(1e-2, 1.0), HORIZON)


def _c18_problem(inst):
    """Nodes (the claim's generator), the reference point of v (0, or the shared minimiser),
    the server's sketch outcomes and the marginals."""
    M, k = inst["M"], inst["k"]
    d = M * inst["q"]
    As, bs = C._nodes(M, d, k, inst["alpha"])
    ref = np.zeros(d)
    if inst["nodes"] == "shared":
        ref = C._rng(k + 4).standard_normal(d)   # the claim's x_c at k = 180
        bs = As @ ref
    vals, w = distributed_outcomes(d, M, inst["server"] == "perm")
    return As, bs, ref, vals, w, [RandK(d, d // M)] * M


@lru_cache(maxsize=None)
def _c18_fixed():
    d, M = 6, 3
    v = C._rng(181).standard_normal(d)
    x_c = C._rng(184).standard_normal(d)
    out = []
    for server in ("perm", "independent"):
        base = {"M": M, "q": 2, "server": server, "k": 180, "alpha": 0.2, "step": 1.0}
        het = dict(base, nodes="heterogeneous")
        As, bs, _, vals, w, marg = _c18_problem(het)
        o = mast_distributed_quadratic(As, bs, v, marg)
        x0 = v + 2 * C._rng(182).standard_normal(d)
        for T in (10, 100):
            out.append(_with_offsets(dict(het, T=float(T)), {"v": v, "x0": x0 - o.x_star_D}))
        sh = dict(base, nodes="shared", T=1000.0)
        As, bs, _, vals, w, marg = _c18_problem(sh)
        o = mast_distributed_quadratic(As, bs, x_c + v, marg)
        step = 1.0 / np.sqrt(o.L_bar * o.A_bar * 1000)
        x_near, _ = C.noise_floor_start(o, As, bs, x_c + v, vals, w, step)
        for x0 in (x_near, x_c):
            out.append(_with_offsets(sh, {"v": v, "x0": x0 - o.x_star_D}))
    return out


def _with_offsets(inst, vectors):
    for name, vec in vectors.items():
        inst[name], inst["r" + name] = as_offset(vec, DMAX)
    return inst


@_space("MAST-C18", C18_PARAMS, _c18_fixed, {"step_past_bound": _step_past(20.0)},
       "step_past_bound",
       note="T5 for distributed DSGD (exact enumeration of the server's sketches and exact "
            "recursion) over M in {2, 3} nodes of the claim's generator (alpha in [0.05, 2]), "
            "d = M q with q in {1, 2}, Perm-K or independent Rand-q, heterogeneous nodes or "
            "nodes sharing one minimiser, v, x_0 - x*_D, T in [1, 1000] and step in [0.01, 1] "
            "times 1/sqrt(L_bar A_bar T); the residual >= 0 (bound 0, no constant) is not "
            "searched")
def mast_c18(inst, variant):
    As, bs, ref, vals, w, marg = _c18_problem(inst)
    d = As.shape[1]
    v = ref + offset(inst, "v", d, "rv")
    out = mast_distributed_quadratic(As, bs, v, marg)
    T = int(round(inst["T"]))
    step = inst["step"] / np.sqrt(out.L_bar * out.A_bar * T)
    x0 = out.x_star_D + offset(inst, "x0", d, "rx0")
    rec = C._t5_recursion(As, bs, v, vals, w, step, out.x_star_D, None)
    measured, _, _, bound = C.t5_terms(out, rec, x0, step, T, out.residual)
    return upper(measured, bound)


# ------------------------------------------------------------------------- T6 (C19)

@lru_cache(maxsize=None)
def _c19_fixed():
    out = []
    for k, sk in enumerate((RandK(7, 2), Bernoulli(C._bern_p(7, 19)))):
        A, b, v = C._problem(7, 190 + k)
        mq = mast_quadratic(A, b, v, sk)
        x0 = v + 2 * C._rng(191 + k).standard_normal(7)
        out += [fixed_point(7, 190 + k, sk, {"v": (v, mq.x_star), "x0": (x0, mq.x_star_D)},
                            T=float(T), step=1.0) for T in (10, 100, 1000)]
    return out


@_space("MAST-C19", problem_params(dmax=7) + SKETCH + offset_params("v") + offset_params("x0")
       + (STEP.widened(1e-2, 1.0), HORIZON), _c19_fixed,
       {"step_past_bound": _step_past(8.0)}, "step_past_bound",
       note="T6 (exact recursion with the running sum) over d <= 7, the spectrum, the "
            "sketch, v - x*, x_0 - x*_D, T in [1, 1000] and step in [0.01, 1] times "
            "1/(2 L_f L_S^max) (the derivation holds for every step up to it)")
def mast_c19(inst, variant):
    mq, sk = _mq(inst)
    T = int(round(inst["T"]))
    x0 = shifted(inst, mq.x_star_D, "x0")
    step = inst["step"] / (2 * mq.L_f * mq.L_S_max)
    r0 = np.sum((x0 - mq.x_star_D) ** 2)
    return upper(averaged_fgap_exact(mq, x0, step, T), C.t6_bound(mq, step, T, r0))
