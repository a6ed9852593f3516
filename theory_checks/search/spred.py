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

from sketchopt.methods import spred as S

from .. import spred as SP
from ._engine import Param, Variant, lower, space, upper

_ORACLE = ("agreement with the certified oracle at solver tolerances (max|dw| <= 1e-8, "
           "objective gap, KKT): every point needs a run to ||grad|| <= 1e-13 and the "
           "bound is a stopping tolerance, not a constant")
EXCLUDED = {
    "SPRED-3": "stationarity at GD's endpoint to 1e-10: a convergence tolerance of one run",
    "SPRED-10": "per-step decay ratio to 1e-6 after a run to the oracle at gtol 1e-11: the "
                "tolerance measures the run's convergence, and each point costs a full run",
    "SPRED-11": _ORACLE, "SPRED-12": _ORACLE, "SPRED-13": _ORACLE, "SPRED-14": _ORACLE,
    "SPRED-15": _ORACLE, "SPRED-17": _ORACLE, "SPRED-22": _ORACLE,
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
       budget=(10, 60), restarts=(2, 6))
def spred_23(inst, variant):
    X, y = SP._lasso_instance(inst["k"], 50, 8)
    u0, W0 = S.initial_factors(8, 1, seed=inst["k_init"])
    eta = 1.0 / (10 * round(0.1 / inst["eta"]))   # T = 1/eta a multiple of the 10 records
    return upper(SP.ode_deviation(X, y, 0.3, eta, 1.0, u0, W0), 1e-4)
