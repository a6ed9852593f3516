"""Search spaces of the foundation claims BASE-1 and BASE-2 (CLAIMS.md).

Both bounds are over quadratics ``1/2 x'Ax - b'x`` of any dimension and condition number; the
instance is ``random_quadratic(d, cond, shape, seed=k)`` (the generator of the claims) and the
start ``x_0 = x* + r u``. BASE-3 (oracle certificates against an independent solver) is not a
bound with constants and is not searched.
"""

import numpy as np

from sketchopt.problems import random_quadratic

from ..base import BASE_SEED, gd_rate, sgd_exact_bound
from ._common import as_offset, offset
from ._engine import Param, Variant, space, upper

DMAX = 12
EXCLUDED = {"BASE-3": "oracle agreement with an independent solver within certified gaps: "
                      "a certificate check, not a bound with constants over an instance space"}

QUADRATIC = (Param("d", 2, DMAX, "int", default=8),
             Param("cond", 1.0, 1e6, "log"),   # CLAIMS.md: condition number <= 1e6
             Param("shape", kind="choice", choices=("geometric", "linear", "clustered"),
                   default="geometric"),
             Param("k", 0, 10 ** 6, "int"),
             Param("u", -1.0, 1.0, size=DMAX))


def _quad(inst):
    return random_quadratic(inst["d"], inst["cond"], inst["shape"], seed=inst["k"])


def _base1_fixed():
    out = []
    for k, cond in enumerate((2.0, 10.0, 100.0)):
        e0 = np.random.default_rng(k).standard_normal(8)
        u, _ = as_offset(e0, DMAX)
        out.append({"d": 8, "cond": cond, "k": BASE_SEED + k, "u": u, "step": 1.0})
    return out


@space("BASE-1", QUADRATIC + (Param("step", 1.0, 1.0, default=1.0),),
       _base1_fixed,
       {"step_past_bound": Variant("step up to 2.2/L, past the claim's step 1/L",
                                   widen={"step": (1.0, 2.2)})},
       "step_past_bound",
       note="GD at step 1/L exactly (the claim's hypothesis); ||x_0 - x*|| is irrelevant "
            "(the bound is homogeneous), so x_0 - x* = u; 1 <= t <= 200 (at t = 0 the bound is "
            "the measured value itself)",
       budget=(40, 300))
def base_1(inst, variant):
    quad = _quad(inst)
    x0 = quad.minimizer() + offset(inst, "u", inst["d"])
    dist2, bound = gd_rate(quad, x0, inst["step"] / quad.L, 200)
    return upper(dist2[1:], bound[1:])


def _base2_fixed():
    e0 = np.random.default_rng(BASE_SEED).standard_normal(5)
    u, r = as_offset(e0, DMAX)
    return [{"d": 5, "cond": 10.0, "k": BASE_SEED, "u": u, "r": r, "step": 1.0,
             "sigma": 0.5}]


@space("BASE-2", QUADRATIC + (Param("r", 1e-3, 1e3, "log", default=1.0),
                              Param("step", 1e-3, 1.0, "log", default=1.0),
                              Param("sigma", 1e-3, 1e3, "log", default=1.0)),
       _base2_fixed,
       {"step_past_bound": Variant("step up to 2.2/L, past the restriction g <= 1/L",
                                   widen={"step": (1e-3, 2.2)})},
       "step_past_bound",
       note="exact moment recursion (no Monte Carlo; the claim's MC half is not searched); "
            "step g = step/L with step in (0, 1], noise level sigma, e_0 = r u, t <= 50")
def base_2(inst, variant):
    quad = _quad(inst)
    e0 = offset(inst, "u", inst["d"], "r")
    return upper(*sgd_exact_bound(quad, e0, inst["step"] / quad.L, inst["sigma"], 50))
