"""Search spaces of the spred inequality claims (spec ``spred.md`` §6).

Every space evaluates the function its claim evaluates (:mod:`theory_checks.spred`:
``factorisation_values``, ``depth3_values``, ``imbalance_decay``, ``flow_deviation``). The two
AM-GM lower bounds (SPRED-2, SPRED-24) are searched over the claims' own generator: ``m``
random factorisations of a Gaussian ``w`` of dimension ``d`` and scale ``w_scale``, log-factors
of spread ``spread`` (the claims' value is 1; ``spread -> 0`` is the balanced, tight
factorisation), drawn from seed ``k`` in the claims' order, so that the fixed instance is
the claim's computation itself. The step-size claims (SPRED-5, SPRED-9) state O(eta)
tolerances at the spec's eta = 1e-4 rather than theorems; they are searched over the data
and the range spanned by the claims' instances, which is what the tolerance is claimed for.
"""

import numpy as np

from sketchopt import oracles
from sketchopt.methods import spred as S

from .. import spred as SP
from ._engine import Inadmissible, Param, Variant, lower, space, upper

EXCLUDED = {
    "SPRED-18": "local minima of the double well and an MLP's second-order test: structural "
                "checks of one landscape, not bounds with constants",
    "SPRED-19": "saddle at zero and escape: structural (exact zeros, counts of negative "
                "eigenvalues)",
    "SPRED-20": "Monte Carlo only (SGD's stationary error against the linearised law)",
    "SPRED-21": "an asymptotic rate (slope -1 as t -> infinity) fitted at a fixed horizon: "
                "below any horizon an instance with small eta w_0 is still pre-asymptotic, so "
                "a search would measure the horizon, not a constant",
}

AMGM = (Param("d", 1, 50, "int", default=50), Param("m", 1, 200, "int", default=200),
        Param("spread", 0.0, 3.0, default=1.0), Param("w_scale", 1e-2, 1e2, "log", default=1.0),
        Param("kappa", 1e-3, 10.0, "log"), Param("k", 0, 10 ** 6, "int"))


# ------------------------------------------------------------------------------- SPRED-2

@space("SPRED-2", AMGM,
       lambda: [{"d": 50, "m": 200, "spread": 1.0, "w_scale": 1.0, "kappa": 0.7,
                 "k": SP.SEED + 2}],
       {"factor_2_pitfall": Variant("the weight decay kappa(||u||^2 + ||v||^2) of the pitfall "
                                    "on the bound's side: min >= 2 kappa ||w||_1",
                                    bound_scale=2.0)},
       "factor_2_pitfall",
       note="kappa/2 (||u||^2 + ||v||^2) >= kappa ||w||_1 over every factorisation u v = w: "
            "d <= 50, m <= 200 factorisations u = t sqrt|w|, log t ~ N(0, spread^2), w ~ "
            "N(0, w_scale^2), kappa in [1e-3, 10]",
       budget=(40, 300))
def spred_2(inst, variant):
    rng = np.random.default_rng(inst["k"])
    d, m = inst["d"], inst["m"]
    w = rng.normal(size=d) * inst["w_scale"]
    t = np.exp(inst["spread"] * rng.normal(size=(m, d)))  # the claim's order of draws
    return lower(*SP.factorisation_values(w, t, inst["kappa"]))


# ------------------------------------------------------------------------------ SPRED-24

@space("SPRED-24", AMGM,
       lambda: [{"d": 30, "m": 200, "spread": 1.0, "w_scale": 1.0, "kappa": 0.4,
                 "k": SP.SEED + 24}],
       {"also_above_l1": Variant("the depth-2 value kappa |w| assumed to stay below the "
                                 "depth-3 minimum (min >= max((3 kappa/2)|w|^(2/3), kappa |w|)); "
                                 "true only for |w| <= 27/8")},
       "also_above_l1",
       note="sum_k kappa/2 u_k^2 >= (3 kappa/2)|w|^(2/3) over u_1 u_2 u_3 = w, per coordinate "
            "(min over the m factorisations, as the claim): d <= 50, m <= 200, log(u_k / "
            "|w|^(1/3)) ~ N(0, spread^2) for k = 1, 2, w ~ N(0, w_scale^2), kappa in "
            "[1e-3, 10]",
       budget=(40, 300))
def spred_24(inst, variant):
    rng = np.random.default_rng(inst["k"])
    d, m, kappa = inst["d"], inst["m"], inst["kappa"]
    w = rng.normal(size=d) * inst["w_scale"]
    r = np.abs(w) ** (1 / 3)
    a, b = np.exp(inst["spread"] * rng.normal(size=(2, m, d))) * r
    vals, bound = SP.depth3_values(w, a, b, kappa)
    if variant == "also_above_l1":
        bound = np.maximum(bound, kappa * np.abs(w))
    return lower(vals.min(axis=0), bound)


# ------------------------------------------------------------------------------- SPRED-5

@space("SPRED-5", (Param("n", 20, 100, "int", default=50), Param("d", 2, 12, "int", default=10),
                   Param("k", 0, 10 ** 6, "int"), Param("kappa", 1e-2, 2.0, "log"),
                   Param("eta", 1e-4, 1e-3, "log", default=1e-4),
                   Param("horizon", 0.1, 2.0, default=2.0),
                   Param("init_scale", 0.05, 2.0, "log", default=0.5),
                   Param("k_init", 0, 10 ** 6, "int")),
       lambda: [{"n": 50, "d": 10, "k": SP.SEED + 5, "kappa": 0.5, "eta": 1e-4,
                 "horizon": 2.0, "init_scale": 0.5, "k_init": SP.SEED + 5}],
       {"kappa_term_dropped": Variant("the O(eta) term without its kappa^2 part: 1.1 eta t max "
                                      "g^2 (the weight decay's own second-order term "
                                      "forgotten)")},
       "kappa_term_dropped",
       note="lasso data of the claims' generator (n in [20, 100], d <= 12, 5-sparse), kappa in "
            "[0.01, 2], GD steps eta in [1e-4, 1e-3] (the spec's 'small eta'), horizon t <= 2, "
            "independent N(0, init_scale^2) factors",
       budget=(30, 200))
def spred_5(inst, variant):
    d = inst["d"]
    X, y = SP._lasso_instance(inst["k"], inst["n"], d, min(5, d))
    u0, W0 = S.initial_factors(d, 1, scale=inst["init_scale"], seed=inst["k_init"])
    kappa, eta = inst["kappa"], inst["eta"]
    horizon = round(inst["horizon"] / eta) * eta  # a whole number of steps: t = T eta exactly
    err, bound, gmax = SP.imbalance_decay(X, y, kappa, eta, horizon, u0, W0)
    if variant == "kappa_term_dropped":
        bound = 1.1 * eta * horizon * gmax ** 2
    return upper(err, bound)


# ------------------------------------------------------------------------------- SPRED-9

@space("SPRED-9", (Param("a", -3.0, 3.0), Param("w0", 0.05, 0.5),
                   Param("eta", 1e-4, 1e-4, "log", default=1e-4)),
       lambda: [{"a": a, "w0": w0, "eta": 1e-4} for a, _, w0 in SP.FLOW_CASES],
       {"eta_past_spec": Variant("eta up to 1e-3, ten times the spec's eta = 1e-4 that the "
                                 "tolerance 1e-3 is claimed for", widen={"eta": (1e-4, 1e-3)})},
       "eta_past_spec",
       note="balanced 1-D GD against the closed-form flows at the spec's eta = 1e-4 and kappa "
            "= 1, t <= 2, over the range spanned by the claim's cases: a in [-3, 3] (|a| < "
            "kappa decays, = kappa is critical, > kappa grows), w0 in [0.05, 0.5]",
       budget=(30, 200))
def spred_9(inst, variant):
    return upper(SP.flow_deviation(inst["a"], 1.0, inst["w0"], inst["eta"], 2.0), 1e-3)


# ------------------------------------------------------------------------------ SPRED-23

@space("SPRED-23", (Param("k", 0, 10 ** 6, "int"), Param("k_init", 0, 10 ** 6, "int"),
                    Param("eta", 1e-4, 1e-4, "log", default=1e-4)),
       lambda: [{"k": SP.SEED + 23, "k_init": SP.SEED + 23, "eta": 1e-4}],
       {"eta_past_spec": Variant("eta up to 1e-3, ten times the spec's eta = 1e-4 that the "
                                 "tolerance 1e-4 is claimed for", widen={"eta": (1e-4, 1e-3)})},
       "eta_past_spec",
       note="the claim's instance family at the spec's eta = 1e-4, t <= 1: lasso data of the "
            "generator (n = 50, d = 8, 5-sparse, kappa = 0.3) and independent N(0, 1/4) "
            "factors, over the data and init seeds (the tolerance is stated for that family, "
            "not for every kappa or scale)",
       budget=(15, 100), restarts=(3, 8))
def spred_23(inst, variant):
    X, y = SP._lasso_instance(inst["k"], 50, 8)
    u0, W0 = S.initial_factors(8, 1, seed=inst["k_init"])
    eta = 1.0 / (10 * round(0.1 / inst["eta"]))   # T = 1/eta a multiple of the 10 records
    return upper(SP.ode_deviation(X, y, 0.3, eta, 1.0, u0, W0), 1e-4)


# ------------------------------------------------- GD runs against the oracle (SPRED-3..22)
#
# One family for the claims that run spred GD to its gradient tolerance and compare with the
# certified oracle: lasso data of the claims' generator (n, d, sparsity s, correlation rho,
# snr), kappa = frac kappa_max, GD from independent factors of seed k_init with the spec's
# step and run-length rule. The spec's admissibility rule applies (§6: instances closer than
# 1e-3 to a breakpoint, or whose oracle does not polish, are not compared), and runs whose
# run-length budget exceeds T_CAP steps are outside the quick and full budgets.

T_CAP = 200_000
LASSO = (Param("n", 40, 150, "int", default=100), Param("d", 8, 40, "int", default=40),
         Param("s", 1, 8, "int", default=5), Param("rho", 0.0, 0.6, default=0.3),
         Param("snr", 1.0, 20.0, "log", default=5.0), Param("frac", 0.05, 0.6, "log"),
         Param("k", 0, 10 ** 6, "int"), Param("k_init", 0, 10 ** 6, "int"))


def _lasso_fixed(seed, frac, k_init, n=100, d=40):
    return {"n": n, "d": d, "s": 5, "rho": 0.3, "snr": 5.0, "frac": frac, "k": seed,
            "k_init": k_init}


def _lasso(inst):
    d = inst["d"]
    X, y = SP._lasso_instance(inst["k"], inst["n"], d, min(inst["s"], d), inst["rho"],
                              inst["snr"])
    return X, y, inst["frac"] * oracles.lam_max(X, y)


def _admissible(oracle):
    if not oracle.polished or oracle.margin < SP.MARGIN_MIN:
        raise Inadmissible(f"margin {oracle.margin:.3g} < {SP.MARGIN_MIN} or not polished")
    return oracle


def _run(inst, X, y, kappa, gtol, oracle=None, loss="least_squares", **kw):
    """The claims' ``_run_to_oracle`` (``Inadmissible`` past the admissibility rule)."""
    if oracle is None:
        oracle = (oracles.lasso(X, y, kappa) if loss == "least_squares"
                  else oracles.l1_logistic(X, y, kappa))
    try:
        return SP._run_to_oracle(X, y, kappa, loss, None, inst["k_init"], gtol=gtol,
                                 oracle=_admissible(oracle), T_cap=T_CAP, **kw)
    except ValueError as exc:
        raise Inadmissible(str(exc)) from exc


def _agreement(oracle, tr, X, y, kappa, loss="least_squares"):
    """Spec §6 check 12's tolerances as measures (the claims' ``agreement``): gtol stop within
    the run-length budget, identical supports, max|dw| <= 1e-8, objective gap, KKT."""
    a = SP.agreement(oracle, tr, X, y, kappa, loss)
    return [upper(tr.meta["n_steps"], tr.meta["T_max"] - 1), upper(float(not a["same"]), 0.0),
            upper(a["dw"], SP.SUPPORT_TOL), upper(a["obj_gap"], a["obj_tol"]),
            upper(a["violation"], 1e-10), lower(a["off_margin"], 0.0)]


LOOSE_GTOL = Variant("GD stopped at ||grad L_rs||_inf <= 1e-10 instead of the claim's 1e-13 "
                     "(an early stop that the fixed instances survive)")


def _gtol(variant, gtol):
    return 1e-10 if variant == "loose_gtol" else gtol


@space("SPRED-3", LASSO, lambda: [_lasso_fixed(SP.SEED + 3, 0.1, SP.SEED)],
       {"constant_over_70": Variant("tolerances 70 times smaller (the fixed instance reaches "
                                    "1/72 of them)", bound_scale=1 / 70)},
       "constant_over_70",
       note="T2 at GD's endpoint (gtol 1e-12) on the lasso family: n in [40, 150], d in [8, "
            "40], s <= 8, rho <= 0.6, snr in [1, 20], kappa/kappa_max in [0.05, 0.6], any init "
            "seed; the spec's admissibility rule and T <= 2e5",
       budget=(20, 150), restarts=(3, 8))
def spred_3(inst, variant):
    X, y, kappa = _lasso(inst)
    _, tr = _run(inst, X, y, kappa, 1e-12)
    gap, gap_bound, gnorm = SP.stationary_balance(tr, X, y, kappa)
    return [upper(gap, gap_bound), upper(gnorm, 1e-10)]


@space("SPRED-10", LASSO, lambda: [_lasso_fixed(SP.SEED + 10, 0.2, SP.SEED)],
       {"tolerance_1e-9": Variant("relative tolerance 1e-9 in place of 1e-6 (the fixed "
                                  "instance reaches 7.8e-10)", bound_scale=1e-3)},
       "tolerance_1e-9",
       note="zero-coordinate decay rate after GD to gtol 1e-11 on the lasso family (ranges as "
            "SPRED-3); coordinates whose two modes have not separated are left out as by the "
            "claim, and points with fewer than half the zero coordinates separated are "
            "inadmissible (the claim fails them as unmeasurable)",
       budget=(20, 150), restarts=(3, 8))
def spred_10(inst, variant):
    X, y, kappa = _lasso(inst)
    oracle, tr = _run(inst, X, y, kappa, 1e-11)
    err, ok, off, _ = SP.zero_decay(oracle, tr, X, y, kappa)
    if ok.sum() < max(1, off.size // 2):
        raise Inadmissible("too few separated zero coordinates")
    return upper(err[ok], 1e-6)


@space("SPRED-12", LASSO,
       lambda: [_lasso_fixed(SP.SEED + 12 + k, frac, SP.SEED + k)
                for k, frac in SP.LASSO_PAIRS_QUICK],
       {"loose_gtol": LOOSE_GTOL}, "loose_gtol",
       note="T1 (spred GD = the lasso solution) with check 12's tolerances on the lasso family "
            "(ranges as SPRED-3); the claim's empirical Adam part is not searched",
       budget=(20, 150), restarts=(3, 8))
def spred_12(inst, variant):
    X, y, kappa = _lasso(inst)
    oracle, tr = _run(inst, X, y, kappa, _gtol(variant, 1e-13))
    return _agreement(oracle, tr, X, y, kappa)


@space("SPRED-13", LASSO + (Param("eta", 1e-2, 10.0, "log"),),
       lambda: [dict(_lasso_fixed(SP.SEED + 13, 0.15, SP.SEED), eta=eta)
                for eta in (0.01, 0.1, 1.0, 10.0)],
       {"eta_past_claim": Variant("prox steps eta up to 1e4, past the claim's eta <= 10 (the "
                                  "residual grows like eta times the stationarity error)",
                                  widen={"eta": (1e-2, 1e4)})},
       "eta_past_claim",
       note="prox fixed point at GD's output (gtol 1e-13) on the lasso family (ranges as "
            "SPRED-3), prox step eta in [0.01, 10] (the claim's range)",
       budget=(20, 150), restarts=(3, 8))
def spred_13(inst, variant):
    X, y, kappa = _lasso(inst)
    _, tr = _run(inst, X, y, kappa, 1e-13)
    return upper(SP.prox_residuals(tr, X, y, kappa, (inst["eta"],)), 1e-10)


def _path_fixed():
    grid = np.geomspace(0.9, 0.05, 12)
    return [_lasso_fixed(SP.SEED + 14, grid[i], SP.SEED + i, 80, 30) for i in range(0, 12, 3)]


@space("SPRED-14", LASSO[:5] + (Param("frac", 0.05, 0.9, "log"),) + LASSO[6:], _path_fixed,
       {"loose_gtol": LOOSE_GTOL}, "loose_gtol",
       note="lasso-path points kappa/kappa_max in [0.05, 0.9] with check 12's tolerances on the "
            "lasso family (other ranges as SPRED-3); points with min|w_S|/max|w_S| < 1e-3 are "
            "skipped as by the claim (CLAIMS.md amendment)",
       budget=(20, 150), restarts=(3, 8))
def spred_14(inst, variant):
    X, y, kappa = _lasso(inst)
    oracle = _admissible(oracles.lasso(X, y, kappa))
    ws = np.abs(oracle.x[oracle.support])
    if ws.size and ws.min() / ws.max() < SP.MARGIN_MIN:
        raise Inadmissible("min|w_S| / max|w_S| < 1e-3")
    oracle, tr = _run(inst, X, y, kappa, _gtol(variant, 1e-13), oracle=oracle)
    return _agreement(oracle, tr, X, y, kappa)


@space("SPRED-22", LASSO, lambda: [_lasso_fixed(SP.SEED + 22, 0.3, SP.SEED)],
       {"loose_gtol": LOOSE_GTOL}, "loose_gtol",
       note="mean(r^2) + weight decay lambda = the lasso at lambda/2, with check 12's "
            "tolerances, on the lasso family (lambda/kappa_max in [0.05, 0.6], other ranges as "
            "SPRED-3)",
       budget=(20, 150), restarts=(3, 8))
def spred_22(inst, variant):
    X, y, lam = _lasso(inst)
    oracle = oracles.lasso(X, y, lam / 2)
    oracle, tr = _run(inst, X, y, lam, _gtol(variant, 1e-13), oracle=oracle, loss_scale=2.0,
                      w_max=2 * np.abs(oracle.x).max())
    return _agreement(oracle, tr, X, y, lam / 2)


@space("SPRED-15", (Param("n", 60, 300, "int", default=150), Param("d", 5, 30, "int", default=20),
                    Param("s", 1, 6, "int", default=4), Param("rho", 0.0, 0.5, default=0.2),
                    Param("amplitude", 0.5, 4.0, "log", default=2.0),
                    Param("frac", 0.05, 0.6, "log"), Param("k", 0, 10 ** 6, "int"),
                    Param("k_init", 0, 10 ** 6, "int")),
       lambda: [{"n": 150, "d": 20, "s": 4, "rho": 0.2, "amplitude": 2.0, "frac": 0.2,
                 "k": SP.SEED + 15, "k_init": SP.SEED}],
       {"loose_gtol": LOOSE_GTOL}, "loose_gtol",
       note="L1-logistic with check 12's tolerances against the certified l1_logistic oracle "
            "on the claim's generator: n in [60, 300], d in [5, 30], s <= 6, rho <= 0.5, "
            "amplitude in [0.5, 4], kappa/kappa_max in [0.05, 0.6], any init seed; the spec's "
            "admissibility rule and T <= 2e5",
       budget=(15, 100), restarts=(3, 8))
def spred_15(inst, variant):
    d = inst["d"]
    X, y, _, _ = SP.logistic_data(inst["n"], d, min(inst["s"], d), rho=inst["rho"],
                                  amplitude=inst["amplitude"], seed=inst["k"])
    kappa = inst["frac"] * oracles.lam_max(X, y, "l1_logistic")
    oracle, tr = _run(inst, X, y, kappa, _gtol(variant, 1e-13), loss="logistic")
    return _agreement(oracle, tr, X, y, kappa, "logistic")


@space("SPRED-16", LASSO, lambda: [dict(_lasso_fixed(SP.SEED + 16, 0.2, SP.SEED, 60, 12), s=3)],
       {"fd_tolerance_over_300": Variant("FD tolerance 1e-7/300 = 3.3e-10 in place of the "
                                         "spec's 1e-7 (the fixed instance's FD error is "
                                         "2.7e-10)", bound_scale=1 / 300)},
       "fd_tolerance_over_300",
       note="D2's spectrum at GD's endpoint (strict instance) and at the balanced lift of a "
            "degenerate copy (|g_j| = kappa), finite differences h = 1e-6 trusted to 1e-7, on "
            "the lasso family (ranges as SPRED-3)",
       budget=(20, 150), restarts=(3, 8))
def spred_16(inst, variant):
    X, y, kappa = _lasso(inst)
    oracle, tr = _run(inst, X, y, kappa, 1e-13)
    m, p = SP.endpoint_spectrum(X, y, kappa, tr)
    violation, margin2, m2, p2, _ = SP.degenerate_spectrum(X, y, kappa, oracle)
    exact = dict(rtol=0.0, atol=0.0)   # the claim's equal(..., rtol=0, atol=FD_TOL) rule
    return [upper(np.abs(m - p), SP.FD_TOL, **exact),
            upper(abs(m.min() - p.min()), SP.FD_TOL, **exact),
            lower(m.min(), SP.FD_TOL, **exact), upper(violation, 1e-10),
            upper(abs(margin2), 1e-12, **exact), upper(np.abs(m2 - p2), SP.FD_TOL, **exact),
            upper(abs(m2.min()), SP.FD_TOL, **exact)]


@space("SPRED-11", (Param("d", 2, 30, "int", default=20), Param("n_extra", 0, 90, "int"),
                    Param("kappa", 0.1, 1.9), Param("step", 1e-2, 0.1, "log", default=0.1),
                    Param("k", 0, 10 ** 6, "int"), Param("k_init", 0, 10 ** 6, "int")),
       lambda: [{"d": 20, "n_extra": 40, "kappa": 0.5, "step": 0.1, "k": SP.SEED + 11,
                 "k_init": SP.SEED}],
       {"step_past_stability": Variant("GD steps up to 1, past the claim's 0.1 (beyond 2 over "
                                       "the local curvature the run no longer converges)",
                                       widen={"step": (1e-2, 1.0)})},
       "step_past_stability",
       note="orthogonal designs X'X = n I (n = d + n_extra >= d, d <= 30), |a_i| = |X'y/n|_i "
            "uniform in [0, 2], kappa in [0.1, 1.9], GD steps in [0.01, 0.1] (the claim's 0.1 "
            "the largest), any init seed; coordinates within 1e-3 of the breakpoint dropped "
            "as by the claim, T <= 2e5",
       budget=(20, 150), restarts=(2, 6))
def spred_11(inst, variant):
    try:
        tr, err, _, _ = SP.orthogonal_run(inst["d"] + inst["n_extra"], inst["d"], inst["kappa"],
                                          inst["step"], inst["k"], inst["k_init"], T_cap=T_CAP)
    except ValueError as exc:
        raise Inadmissible(str(exc)) from exc
    return [upper(tr.meta["n_steps"], tr.meta["T_max"] - 1), upper(err, 1e-10)]


@space("SPRED-17", (Param("n", 40, 150, "int", default=80), Param("d", 4, 20, "int", default=15),
                    Param("tasks", 2, 5, "int", default=3), Param("active", 1, 8, "int"),
                    Param("noise", 0.05, 1.0, "log", default=0.3),
                    Param("frac", 0.05, 0.6, "log", default=0.25),
                    Param("k", 0, 10 ** 6, "int"), Param("k_init", 0, 10 ** 6, "int")),
       lambda: [{"n": 80, "d": 15, "tasks": 3, "active": 4, "noise": 0.3, "frac": 0.25,
                 "k": SP.SEED + 17, "k_init": SP.SEED}],
       {"loose_gtol": LOOSE_GTOL}, "loose_gtol",
       note="the input mask on multi-output least squares against the certified multitask "
            "oracle on the claim's generator: n in [40, 150], d in [4, 20], 2..5 tasks, 1..8 "
            "active rows, noise in [0.05, 1], kappa / max_j ||X_j'Y/n|| in [0.05, 0.6], any "
            "init seed; the spec's admissibility rule, the claim's 40000-step budget",
       budget=(20, 150), restarts=(2, 6))
def spred_17(inst, variant):
    d = inst["d"]
    X, Y = SP.multitask_data(inst["n"], d, inst["tasks"], min(inst["active"], d), inst["noise"],
                             inst["k"])
    kappa = inst["frac"] * np.linalg.norm(X.T @ Y / X.shape[0], axis=1).max()
    oracle, tr = SP.multitask_run(X, Y, kappa, inst["k_init"], gtol=_gtol(variant, 1e-13))
    _admissible(oracle)
    V = tr.meta["w"]
    obj = oracles.multitask_lasso_objective(X, Y, kappa, V)
    m, W = tr.meta["u"], tr.meta["W"]
    return [upper(tr.meta["n_steps"], tr.meta["T_max"] - 1),
            upper(abs(obj - oracle.objective), 1e-10 * max(1, abs(oracle.objective))),
            upper(float(not np.array_equal(tr.meta["support"], oracle.support)), 0.0),
            upper(np.abs(V - oracle.x).max(), SP.SUPPORT_TOL),
            upper(np.abs(m ** 2 - np.sum(W ** 2, axis=1)), 1e-10, rtol=0.0, atol=0.0)]
