"""Search spaces of the RAMDA inequality claims (spec ``ramda.md`` §6): the PG rate of Theorem
1 (C4), its iteration count (C5), the computable inexactness measure (C6) and the (P-7)
decrease along RAMDA steps (C7).

Every space evaluates the function its claim evaluates (:mod:`theory_checks.ramda`:
``pg_rate_sides``, ``iteration_slope``, ``subgradient_parts``/``subgradient_bounds``,
``step_decrease``). The subproblems are the claims' own stream: the ``index``-th draw of
``random_subproblem`` (group size ``gs``, ``groups`` groups, weight ``lam``, diagonal P spread
over [1, ``spread``]), its alpha and start Z0 from seed ``k``, replayed in the claims' order, so
the fixed instances are the claims' instances; the search then scales alpha and Z0 and moves
every generator parameter. C7 runs RAMDA itself on group-logistic data of the claim's generator
(the minibatch stream, seed ``k_run``, is part of the instance: the relation is claimed at
every step of every run, so choosing the run is not searching Monte Carlo seeds).
"""

import numpy as np

from sketchopt import stats
from sketchopt.nuclear import NuclearNorm
from sketchopt.penalties import GroupL1

from .. import ramda as R
from ._engine import Param, Variant, space, upper

EXCLUDED = {
    "RAMDA-C2": "PG to ||s_j|| <= 1e-13 vs the exact root solution to 1e-10 relative (floor "
                "1e-12): the error is at most ||s_j|| / min P <= 1e-13 on the claim's P >= 1, "
                "an order below the floor; a search reached 0.055 of the tolerance, and no "
                "wrong bound exists that the fixed instances survive and a search catches "
                "(the can-fail test of issue 13), so it is not searched",
    "RAMDA-C3": "structural (screening mask = zero groups), a predicate",
    "RAMDA-C8": "INFO: fraction of steps meeting (P-7) under the code's rule",
    "RAMDA-C10": "schedule identities and the growth constant of sum s_t/alpha_t at T = 1e5 "
                 "(an asymptotic constant of a fixed sequence: nothing to range over)",
    "RAMDA-C11": "empirical trend over seeds (median over Monte Carlo runs)",
    "RAMDA-C12": "empirical a.s. limit within 10% at the end of stochastic runs",
    "RAMDA-C13": "empirical trend over restart stages of one stochastic run",
    "RAMDA-C14": "identification time of stochastic runs against a certified reference "
                 "(each point a full staged run plus an oracle)",
    "RAMDA-C15": "bitwise identities of the momentum ramp",
    "RAMDA-C16": "empirical trend of stochastic runs",
    "RAMDA-C17": "empirical sparsity comparison of stochastic runs",
    "RAMDA-C18": "exact state equality at a restart (code identity)",
    "RAMDA-C19": "agreement of PG with the exact root solution to 1e-6 along a ProxGen run "
                 "(a solver tolerance)",
    "RAMDA-C20": "Table 1 reproduction: early stop vs none within 1e-4 on stochastic runs",
    "RAMDA-C21": "rank identification along stochastic runs against a FISTA reference",
    "RAMDA-C22": "Monte Carlo trend of ProxGen's plateau in the batch size",
    "RAMDA-C23": "support identification along stochastic runs against a certified reference",
}

SUBPROBLEM = (Param("gs", 1, 6, "int", default=4), Param("groups", 1, 8, "int", default=6),
              Param("lam", 1e-2, 3.0, "log", default=0.3),
              Param("spread", 1.0, 1e3, "log", default=8.0),
              Param("alpha_scale", 0.1, 10.0, "log", default=1.0),
              Param("k", 0, 10 ** 6, "int"), Param("index", 0, 4, "int", default=0))


def _replay(inst, draw_j=False):
    """The ``index``-th subproblem of the claims' stream from seed ``k``: ``random_subproblem``,
    alpha ~ U(0.5, 2), Z0 ~ N(0, I) (and C6's j ~ U{1..7}), with alpha scaled by
    ``alpha_scale``. Returns ``(pen, W0, V, P, alpha, Z0, j)``."""
    rng = np.random.default_rng(inst["k"])
    d = inst["gs"] * inst["groups"]
    for _ in range(inst["index"] + 1):
        pen, W0, V, P = R.random_subproblem(rng, d, inst["gs"], inst["spread"], inst["lam"])
        alpha = rng.uniform(0.5, 2.0)
        Z0 = rng.standard_normal(d)
        j = int(rng.integers(1, 8)) if draw_j else None
    return pen, W0, V, P, alpha * inst["alpha_scale"], Z0, j


def _stream_fixed(seed, n, **extra):
    return [dict({"gs": 4, "groups": 6, "lam": 0.3, "spread": 8.0, "alpha_scale": 1.0,
                  "k": seed, "index": i}, **extra) for i in range(n)]


# ------------------------------------------------------------------------------ RAMDA-C4

@space("RAMDA-C4", SUBPROBLEM + (Param("z_scale", 1e-2, 1e2, "log", default=3.0),
                                 Param("eps", 1e-8, 1.0, "log", default=1e-3),
                                 Param("step", 1.0, 1.0, default=1.0)),
       lambda: _stream_fixed(R.BASE_SEED + 4, 5, z_scale=3.0, eps=1e-3, step=1.0),
       {"step_past_bound": Variant("PG step theta up to 1.99/L, past Theorem 1's theta = 1/L "
                                   "(still a convergent step)", widen={"step": (1.0, 1.99)})},
       "step_past_bound",
       note="Theorem 1 on group-L1 subproblems with diagonal P = p + eps, p in [1, spread], "
            "spread <= 1e3, eps in [1e-8, 1], group size <= 6, <= 8 groups, lam in [0.01, 3], "
            "alpha scaled by [0.1, 10], ||Z0|| scaled by [0.01, 100]; theta = 1/L, j = 1..60; "
            "both bounds, (a) mu = min diag P and (b) mu = eps",
       budget=(60, 400))
def ramda_c4(inst, variant):
    pen, W0, V, P, alpha, Z0, _ = _replay(inst)
    P = P + inst["eps"]
    Z0 = Z0 * inst["z_scale"]
    if inst["step"] == 1.0:
        meas, a, b, slack = R.pg_rate_sides(pen, W0, V, P, alpha, Z0, inst["eps"])
    else:  # the wrong variant's longer step, through the claims' NumPy PG
        meas, a, b, slack = R.pg_rate_sides(pen, W0, V, P, alpha, Z0, inst["eps"], broken=True,
                                            step=inst["step"])
    return [upper(meas, a + slack), upper(meas, b + slack)]


# ------------------------------------------------------------------------------ RAMDA-C5

@space("RAMDA-C5", SUBPROBLEM[:3] + (Param("spread", 1.0, 50.0, "log", default=8.0),)
       + SUBPROBLEM[4:] + (Param("z_scale", 1e-2, 1e2, "log", default=1.0),),
       lambda: _stream_fixed(R.BASE_SEED + 5, 3, z_scale=1.0),
       {"ln10_as_2.2": Variant("ln(10) = 2.303 rounded down to 2.2 in the bound (the fixed "
                               "instances reach 0.92 of it)", bound_scale=2.2 / np.log(10))},
       "ln10_as_2.2",
       note="Theorem 1's iteration count on the claims' subproblems, spread = L/mu <= 50 (so "
            "that eps = 1e-12 is reached within the claim's 3000 iterations; beyond, the "
            "slope is censored, not measured), group size <= 6, <= 8 groups, lam in [0.01, "
            "3], alpha scaled by [0.1, 10], ||Z0|| scaled by [0.01, 100]",
       budget=(60, 400))
def ramda_c5(inst, variant):
    pen, W0, V, P, alpha, Z0, _ = _replay(inst)
    return upper(*R.iteration_slope(pen, W0, V, P, alpha, Z0 * inst["z_scale"]))


# ------------------------------------------------------------------------------ RAMDA-C6

@space("RAMDA-C6", SUBPROBLEM + (Param("z_scale", 1e-2, 1e2, "log", default=1.0),
                                 Param("j", 1, 30, "int")),
       lambda: [dict(f, j=_replay(f, draw_j=True)[-1])
                for f in _stream_fixed(R.BASE_SEED + 6, 10, z_scale=1.0)],
       {"no_sqrt_weights": Variant("zero groups held to alpha lam (the public code's threshold, "
                                   "without sqrt(n_g)) instead of alpha lam sqrt(n_g)")},
       "no_sqrt_weights",
       note="eq. (9) on the claims' subproblems after j <= 30 PG iterations (per-group steps): "
            "dist(0, dQ(Z_j)) <= ||s_j|| and ||s_j - grad q(Z_j)||_g <= alpha lam_g on the zero "
            "groups; group size <= 6, <= 8 groups, lam in [0.01, 3], spread <= 1e3, alpha "
            "scaled by [0.1, 10], ||Z0|| scaled by [0.01, 100]",
       budget=(60, 400))
def ramda_c6(inst, variant):
    pen, W0, V, P, alpha, Z0, _ = _replay(inst, draw_j=True)
    res, _, s, u = R.subgradient_parts(pen, W0, V, P, alpha, Z0 * inst["z_scale"], inst["j"])
    (dist, s_norm), (zero, tau) = R.subgradient_bounds(pen, W0, V, P, alpha, res.x, s, u)
    out = [upper(dist, s_norm)]
    if zero.size:
        out.append(upper(zero, tau / np.sqrt(inst["gs"]) if variant == "no_sqrt_weights"
                         else tau))
    return out


# ------------------------------------------------------------------------------ RAMDA-C7

def _c7_fixed():
    return [{"N": 2000, "gs": 5, "groups": 8, "active": 3, "lam": 0.02, "T": 1500,
             "batch": 32, "stages": 3, "k": R.BASE_SEED,
             "k_run": int(stats.derive_seeds(R.BASE_SEED, 2)[1])}]


@space("RAMDA-C7", (Param("N", 50, 2000, "int", default=2000),
                    Param("gs", 1, 5, "int", default=5), Param("groups", 2, 8, "int", default=8),
                    Param("active", 1, 8, "int", default=3),
                    Param("lam", 1e-3, 0.3, "log", default=0.02),
                    Param("T", 20, 300, "int", default=1500), Param("batch", 1, 64, "int"),
                    Param("stages", 1, 3, "int", default=3), Param("k", 0, 10 ** 6, "int"),
                    Param("k_run", 0, 10 ** 6, "int"),
                    Param("step_scale", 1.0, 1.0, default=1.0)),
       _c7_fixed,
       {"step_past_bound": Variant("PG steps up to 3/L_g, past the descent restriction "
                                   "theta <= 1/L_g (the warm start no longer guarantees a "
                                   "decrease)", widen={"step_scale": (1.0, 3.0)})},
       "step_past_bound",
       note="RAMDA with the code's PG (warm start W_{t-1}, relative-decrease stop, 2..100 "
            "iterations) on group-logistic data of the claim's generator: N in [50, 2000], "
            "group size <= 5, 2..8 groups with 1..groups active, lam in [1e-3, 0.3], T in "
            "[20, 300] steps (the fixed instance: the claim's 1500), batch <= 64, 1..3 stages, "
            "any minibatch stream; PG steps 1/L_g (step_scale 1)",
       budget=(30, 200), restarts=(3, 8))
def ramda_c7(inst, variant):
    gs, groups = inst["gs"], inst["groups"]
    d = gs * groups
    X, y = R.group_data(inst["N"], d, gs, min(inst["active"], groups), seed=inst["k"])
    pen = GroupL1(inst["lam"], gs, d=d, weights="sqrt")
    dec = R.step_decrease(X, y, pen, inst["T"], inst["k_run"], batch=inst["batch"],
                          stages=inst["stages"], step_scale=inst["step_scale"])
    return upper(dec, 1e-12)


# ------------------------------------------------------------------------------ RAMDA-C1

def _c1_fixed():
    return [{"gs": 4, "groups": 6, "lam": 0.3, "lam_nuc": 0.4, "k": R.BASE_SEED + 1, "index": i,
             "penalty": pen, "c_scale": 1.0, "alpha_scale": 1.0, "z_scale": 1.0, "tilt": 0.0}
            for i in range(20) for pen in ("group", "nuclear")]


@space("RAMDA-C1", (Param("gs", 1, 6, "int", default=4), Param("groups", 1, 8, "int", default=6),
                    Param("lam", 1e-2, 3.0, "log", default=0.3),
                    Param("lam_nuc", 1e-2, 3.0, "log", default=0.4),
                    Param("penalty", kind="choice", choices=("group", "nuclear")),
                    Param("c_scale", 0.1, 10.0, "log", default=1.0),
                    Param("alpha_scale", 0.1, 10.0, "log", default=1.0),
                    Param("z_scale", 1e-2, 1e2, "log", default=1.0),
                    Param("k", 0, 10 ** 6, "int"), Param("index", 0, 19, "int", default=0),
                    Param("tilt", 0.0, 0.0, default=0.0)),
       _c1_fixed,
       {"P_not_scalar": Variant("P = c (1 + tilt u), u in [0, 1] per coordinate, tilt up to "
                                "0.5: the hypothesis P = cI dropped",
                                widen={"tilt": (0.0, 0.5)})},
       "P_not_scalar",
       note="P = cI on the claim's stream (c ~ U(0.5, 3) scaled by [0.1, 10], alpha ~ U(0.2, "
            "2) scaled by [0.1, 10], Z0 scaled by [0.01, 100]): group L1 with sqrt(n_g) "
            "weights (group size <= 6, <= 8 groups, lam in [0.01, 3]) or the nuclear norm of "
            "the groups x gs matrix (lam in [0.01, 3])",
       budget=(60, 400))
def ramda_c1(inst, variant):
    rng = np.random.default_rng(inst["k"])
    gs, groups = inst["gs"], inst["groups"]
    d = gs * groups
    for _ in range(inst["index"] + 1):  # the claim's stream: subproblem, c, alpha, two Z0
        pen, W0, V, _ = R.random_subproblem(rng, d, gs, lam=inst["lam"])
        c, alpha = rng.uniform(0.5, 3.0), rng.uniform(0.2, 2.0)
        Z0s = rng.standard_normal((2, d))
    c, alpha = c * inst["c_scale"], alpha * inst["alpha_scale"]
    P = c * (1 + inst["tilt"] * np.linspace(0.0, 1.0, d))
    if inst["penalty"] == "nuclear":
        pen, Z0 = NuclearNorm(inst["lam_nuc"], (groups, gs)), Z0s[1]
    else:
        Z0 = Z0s[0]
    return upper(*R.one_step_error(Z0 * inst["z_scale"], W0, V, P, alpha, pen))
