"""Search spaces of the auxinfo inequality claims (spec ``auxinfo.md``, derivations D1-D10).

Every space evaluates the function its claim evaluates (:mod:`theory_checks.auxinfo`:
``d1_residual``, ``d2_sides``, ``d3_limit_spectra``, ``d7_sides``, ``d8_sides``,
``d10_sides``), on pairs built by the claims' generators: ``random_quadratic_pair(d, delta,
cond, direction, sign, bias, seed=k)``, ``logistic_pair(kind, n, d, angle, seed=k)``,
``per_sample_pair(n, d, k, dx, dy)`` and ``random_quadratic(d, cond, shape, seed=k)``. Moments
are exact (augmented-state recursions); nothing is sampled.

Where a derivation holds for every step size but the run diverges past ``1/lambda_max(B)``
(D7, D8: the moments overflow and the comparison loses its meaning), the step is restricted to
``eta lambda_max <= 1``; that restriction is narrower than the derivation's and is stated in
each note.
"""

import numpy as np

from sketchopt.methods.auxinfo_noise import NoiseModel
from sketchopt.problems import random_quadratic
from sketchopt.problems.pairs import hessian_similarity, logistic_pair, random_quadratic_pair

from .. import auxinfo as A
from ._common import as_offset, offset
from ._engine import Inadmissible, Param, Variant, lower, space, upper

EXCLUDED = {
    "AUX-5": "convergence iff rho(G) < 1 over a grid: a predicate on simulated runs near the "
             "stability boundary, not a bound with constants",
    "AUX-9": "Figure 1's pass rule (thresholds 0.99 zeta/(1+delta) and 1e-6 at the figure's "
             "parameters): a reproduction of one figure, not a bound over an instance space",
    "AUX-12": "Monte Carlo only (the closed form of D6 is an identity; the side of d s_f^2 is "
              "decided by samples)",
    "AUX-18": "INFO regime map; its PASS/FAIL sub-check is a Monte Carlo bootstrap interval",
    "AUX-20": "identities of the flipped-label pair (equal Hessians to 1e-14, constant bias, "
              "GD equivalence), no bound with constants",
}

D_MAX = 20          # AUX-1's fixed instances have d = 20
SIGNS = (1.0, -1.0)
DIRECTIONS = ("spread", "smallest")   # "smallest": the eigenvector of lambda_min(A) (None)


def _pair(inst, d=None):
    """``random_quadratic_pair`` at the point (``Inadmissible`` if the generator rejects it)."""
    direction = None if inst["direction"] == "smallest" else inst["direction"]
    try:
        return random_quadratic_pair(d or inst["d"], inst["delta"], cond=inst["cond"],
                                     direction=direction, sign=inst["sign"],
                                     bias=inst.get("bias", 1.0), seed=inst["k"])
    except ValueError as exc:
        raise Inadmissible(str(exc)) from exc


def _spd_helper(pair):
    """Eigenvalues of the helper's Hessian B; ``Inadmissible`` unless B is positive definite."""
    lam = np.linalg.eigvalsh(pair.h.A)
    if lam[0] <= 0:
        raise Inadmissible("helper Hessian B is not positive definite")
    return lam


def _delta(pair, variant):
    """``||A - B||_2`` (exact on quadratics); the ``signed_delta`` variant's
    ``lambda_max(B - A)``."""
    if variant == "signed_delta":
        return max(float(np.linalg.eigvalsh(pair.h.A - pair.f.A)[-1]), 0.0)
    return hessian_similarity(pair).delta


def _pair_params(d_max, delta_range=(1e-3, 10.0), cond_max=1e6):
    return (Param("d", 2, d_max, "int"),
            Param("delta", *delta_range, "log"),
            Param("cond", 1.0, cond_max, "log"),
            Param("direction", kind="choice", choices=DIRECTIONS, default="spread"),
            Param("sign", kind="choice", choices=SIGNS, default=1.0),
            Param("k", 0, 10 ** 6, "int"))


# -------------------------------------------------------------------------------- AUX-1

def _aux1_fixed():
    """The claim's 2 pairs x 8 point pairs (quick mode), drawn as the claim draws them."""
    rng = np.random.default_rng(A.AUX_SEED)
    out = []
    for k, (delta, direction) in enumerate(((0.7, "spread"), (2.0, "smallest"))):
        inst = {"d": 20, "delta": delta, "cond": 10.0, "direction": direction, "sign": 1.0,
                "bias": 1.0, "k": A.AUX_SEED + k}
        pair = _pair(inst)
        X, Y = rng.standard_normal((2, 8, 20))
        Y[0] = X[0] + 1.7 * np.linalg.svd(pair.f.A - pair.h.A)[0][:, 0]
        for x, y in zip(X, Y):
            xu, xr = as_offset(x, D_MAX)
            vu, vr = as_offset(y - x, D_MAX)
            out.append(dict(inst, xu=xu, xr=xr, vu=vu, vr=vr))
    return out


@space("AUX-1", _pair_params(D_MAX) + (
           Param("bias", 0.0, 3.0, default=1.0),
           Param("xu", -1.0, 1.0, size=D_MAX), Param("xr", 1e-2, 1e2, "log", default=1.0),
           Param("vu", -1.0, 1.0, size=D_MAX), Param("vr", 1e-3, 1e2, "log", default=1.0)),
       _aux1_fixed,
       {"signed_delta": Variant("delta read as lambda_max(B - A) (the sign of the difference "
                                "dropped): equal to ||A - B||_2 on the claim's pairs, where h is "
                                "more curved than f")},
       "signed_delta",
       note="D1 on any quadratic pair: d <= 20, delta in [1e-3, 10], cond <= 1e6, difference "
            "spread or rank one, h more or less curved (sign), helper shift, x and y - x free; "
            "delta = ||A - B||_2 from hessian_similarity (exact on quadratics)",
       budget=(60, 400))
def aux_1(inst, variant):
    pair = _pair(inst)
    d = inst["d"]
    x = offset(inst, "xu", d, "xr")
    y = x + offset(inst, "vu", d, "vr")
    _, norms, dist = A.d1_residual(pair, x[None], y[None])
    delta = _delta(pair, variant)
    return upper(norms, delta * dist)


# -------------------------------------------------------------------------------- AUX-2

D2_MAX = 8


def _aux2_fixed():
    """The claim's points (quick mode: 4 per pair kind), drawn as the claim draws them."""
    rng = np.random.default_rng(A.AUX_SEED + 2)
    out = []
    for kind in ("other", "rotated"):
        for j in range(4):
            x = rng.standard_normal(5) * 2
            y = x + rng.standard_normal(5) * (0.1 if j % 2 else 1.0)
            xu, xr = as_offset(x, D2_MAX)
            vu, vr = as_offset(y - x, D2_MAX)
            out.append({"kind": kind, "n": 80, "d": 5, "angle": 0.6, "k": A.AUX_SEED,
                        "xu": xu, "xr": xr, "vu": vu, "vr": vr})
    return out


@space("AUX-2", (Param("kind", kind="choice", choices=("other", "rotated")),
                 Param("n", 10, 400, "int", default=80),
                 Param("d", 2, D2_MAX, "int", default=5),
                 Param("angle", 0.0, 1.5, default=0.6),
                 Param("k", 0, 10 ** 6, "int"),
                 Param("xu", -1.0, 1.0, size=D2_MAX), Param("xr", 1e-2, 10.0, "log"),
                 Param("vu", -1.0, 1.0, size=D2_MAX), Param("vr", 1e-3, 10.0, "log")),
       _aux2_fixed,
       {"constant_0.8": Variant("both constants 0.8 times their value (the fixed points reach "
                                "0.72 of the segment bound, the search nearly 1)",
                                bound_scale=0.8)},
       "constant_0.8",
       note="D2 on logistic pairs on other samples or rotated inputs: n in [10, 400], d <= 8, "
            "rotation angle <= 1.5, x and y - x with norms up to ~10 (the claim's points have "
            "|x| ~ 4, |y - x| <= ~2); both the 64-point segment bound and the certified "
            "delta of CLAIMS.md",
       budget=(60, 400))
def aux_2(inst, variant):
    d = inst["d"]
    pair = logistic_pair(inst["kind"], n=inst["n"], d=d, angle=inst["angle"], seed=inst["k"])
    x = offset(inst, "xu", d, "xr")
    y = x + offset(inst, "vu", d, "vr")
    cert = hessian_similarity(pair, n_points=8).delta
    lhs, seg, bound = A.d2_sides(pair, x, y, cert)
    return [upper(lhs, seg), upper(lhs, bound)]


# -------------------------------------------------------------------------------- AUX-4

def _aux4_fixed():
    cases = ((0.5, "spread", 1.0), (0.6, "smallest", 1.0), (0.4, "smallest", -1.0))
    return [{"d": 6, "delta": delta, "cond": 10.0, "direction": direction, "sign": sign,
             "k": A.AUX_SEED + 10 + k, "eta": 0.9}
            for k, (delta, direction, sign) in enumerate(cases)]


@space("AUX-4", _pair_params(8, (1e-3, 10.0), 1e4) + (Param("eta", 1e-3, 0.999, "log"),),
       _aux4_fixed,
       {"eta_past_restriction": Variant("eta lambda_max(B) up to 2.5, past the hypothesis "
                                        "0 < eta lambda(B) < 1", widen={"eta": (1e-3, 2.5)})},
       "eta_past_restriction",
       note="D3 limit on quadratic pairs with A, B SPD (points with B not positive definite "
            "are inadmissible): d <= 8, cond <= 1e4, delta in [1e-3, 10], either sign, "
            "eta = eta' / lambda_max(B) with 0 < eta' < 1, K = 1..40 (the claim's quick range); "
            "the eigenvalues of P_K A real and nondecreasing in K, below eig(B^-1 A), and "
            "rho(B^-1 (B - A)) <= ||A - B||_2 / lambda_min(B)",
       budget=(60, 400))
def aux_4(inst, variant):
    pair = _pair(dict(inst, bias=1.0))
    Am, B = pair.f.A, pair.h.A
    lam_B = _spd_helper(pair)
    imag, mag, eigs, eig_BA = A.d3_limit_spectra(Am, B, inst["eta"] / lam_B[-1], 40)
    radius = A.ex.spectral_radius(A.ex.limit_matrix(Am, B))
    return [upper(imag, 1e-10 * mag), lower(np.diff(eigs, axis=0), 0.0),
            upper(eigs[-1], eig_BA), upper(radius, A.ex.delta_bound(Am, B))]


# ------------------------------------------------------------------------------- AUX-14

X_MAX = 4


def _noise(inst):
    return NoiseModel.additive(inst["s_f"], inst["s_h"], inst["rho"])


def _aux14_fixed():
    pair = A._moving_pair()
    eta = 0.05 * np.linalg.eigvalsh(pair.h.A)[-1]   # the claim's eta = 0.05 as eta'/L_B
    base = {"d": 3, "delta": 1.0, "cond": 4.0, "direction": "spread", "sign": 1.0, "bias": 1.0,
            "k": A.AUX_SEED + 14, "xu": [1.0] * 3 + [0.0] * (X_MAX - 3), "xr": 3.0,
            "eta": eta, "K": 4}
    return [dict(base, a=a, s_f=s, s_h=s, rho=rho)
            for a in (0.1, 0.5, 0.9) for s, rho in ((0.0, 0.0), (0.3, 0.5))]


@space("AUX-14", _pair_params(X_MAX, (1e-3, 3.0), 100.0) + (
           Param("bias", 0.0, 3.0, default=1.0),
           Param("xu", -1.0, 1.0, size=X_MAX), Param("xr", 1e-2, 10.0, "log"),
           Param("eta", 1e-3, 1.0, "log"), Param("K", 1, 8, "int"),
           Param("a", 0.01, 1.0), Param("s_f", 0.0, 1.0), Param("s_h", 0.0, 1.0),
           Param("rho", -1.0, 1.0)),
       _aux14_fixed,
       {"signed_delta": Variant("delta read as lambda_max(B - A) (the sign of the difference "
                                "dropped): equal to ||A - B||_2 on the claim's pair, where h is "
                                "more curved than f")},
       "signed_delta",
       note="D7 for AuxMOM V1 with additive noise (s_f, s_h in [0, 1], any correlation rho; "
            "s = 0 is exact gradients), a in [0.01, 1], K <= 8 inner steps, T = 40, quadratic "
            "pairs with d <= 4, cond <= 100, delta <= 3, either sign, helper SPD; eta = eta' / "
            "lambda_max(B) with eta' <= 1 (D7 holds for any step; longer steps diverge); "
            "delta = ||A - B||_2",
       budget=(300, 2000))
def aux_14(inst, variant):
    pair = _pair(inst)
    lam_B = _spd_helper(pair)
    x0 = pair.f.minimizer() + offset(inst, "xu", inst["d"], "xr")
    delta = _delta(pair, variant)
    lhs, rhs = A.d7_sides(pair, x0, inst["eta"] / lam_B[-1], inst["K"], 40, inst["a"],
                          _noise(inst), delta)
    return upper(lhs, rhs)


# ------------------------------------------------------------------------------- AUX-16

def _aux16_fixed():
    pair = A.per_sample_pair()
    L = max(np.linalg.eigvalsh(pair.f.hessian(np.zeros(3)))[-1],
            np.linalg.eigvalsh(pair.h.hessian(np.zeros(3)))[-1])
    return [{"n": 40, "d": 3, "k": A.AUX_SEED + 16, "dx": 0.3, "dy": 0.1, "batch": batch,
             "a": a, "eta": 0.05 * L, "K": 3, "xu": [1.0] * 3 + [0.0] * (X_MAX - 3), "xr": 2.0}
            for batch in (1, 2, 5) for a in (0.1, 0.3, 0.7)]


@space("AUX-16", (Param("n", 4, 60, "int", default=40), Param("d", 1, X_MAX, "int", default=3),
                  Param("k", 0, 10 ** 6, "int"), Param("dx", 1e-3, 3.0, "log", default=0.3),
                  Param("dy", 1e-3, 3.0, "log", default=0.1), Param("batch", 1, 8, "int"),
                  Param("a", 0.01, 1.0), Param("eta", 1e-3, 1.0, "log"),
                  Param("K", 1, 6, "int"),
                  Param("xu", -1.0, 1.0, size=X_MAX), Param("xr", 1e-2, 10.0, "log")),
       _aux16_fixed,
       {"drift_without_2": Variant("drift term delta_ms^2 E||x_{t-1} - x_{t-2}||^2 without its "
                                   "factor 2 (||u + v||^2 <= 2||u||^2 + 2||v||^2 read as "
                                   "||u||^2 + ||v||^2 on that term)")},
       "drift_without_2",
       note="D8 for AuxMVR V1 with shared minibatches (rows with replacement, batch <= 8) on "
            "per-sample least-squares pairs (n in [4, 60], d <= 4, input and target "
            "perturbations dx, dy in [1e-3, 3]), a in [0.01, 1], K <= 6, T = 40; eta = eta' / "
            "max(L_f, L_h) with eta' <= 1 (D8 holds for any step; longer steps diverge); x_0 = r u",
       budget=(60, 400))
def aux_16(inst, variant):
    d = inst["d"]
    pair = A.per_sample_pair(inst["n"], d, inst["k"], inst["dx"], inst["dy"])
    Hf, Hh = pair.f.hessian(np.zeros(d)), pair.h.hessian(np.zeros(d))
    L = max(np.linalg.eigvalsh(Hf)[-1], np.linalg.eigvalsh(Hh)[-1])
    x0 = offset(inst, "xu", d, "xr")   # the claim's start is x_0 = (2, ..., 2)
    lhs, rhs, dms2 = A.d8_sides(pair, x0, inst["eta"] / L, inst["K"], 40, inst["a"],
                                inst["batch"])
    if variant == "drift_without_2":  # recomputed with delta_ms^2 / 2 on the drift term
        lhs, rhs, _ = A.d8_sides(pair, x0, inst["eta"] / L, inst["K"], 40, inst["a"],
                                 inst["batch"], delta2=dms2 / 2)
    return upper(lhs, rhs)


# ------------------------------------------------------------------------------- AUX-17

Q_MAX = 12


def _aux17_fixed():
    quad = random_quadratic(5, cond=10.0, seed=A.AUX_SEED + 17)
    top = 3 * np.linalg.eigh(quad.A)[1][:, -1]
    out = []
    for frac in (1.0, 0.5, 0.1):
        for sigma in (0.0, 0.5):
            for e0 in (np.ones(5), top):
                u, r = as_offset(e0, Q_MAX)
                out.append({"d": 5, "cond": 10.0, "shape": "geometric",
                            "k": A.AUX_SEED + 17, "u": u, "r": r, "eta": frac,
                            "sigma": sigma})
    return out


@space("AUX-17", (Param("d", 2, Q_MAX, "int", default=5), Param("cond", 1.0, 1e6, "log"),
                  Param("shape", kind="choice", choices=("geometric", "linear", "clustered"),
                        default="geometric"),
                  Param("k", 0, 10 ** 6, "int"), Param("u", -1.0, 1.0, size=Q_MAX),
                  Param("r", 1e-3, 1e3, "log"), Param("eta", 1e-3, 1.0, "log"),
                  Param("sigma", 0.0, 10.0)),
       _aux17_fixed,
       {"step_past_bound": Variant("eta up to 2.2/L, past the hypothesis eta <= 1/L",
                                   widen={"eta": (1e-3, 2.2)})},
       "step_past_bound",
       note="D10 on quadratics (the claim's generator): d <= 12, cond <= 1e6, eta = eta'/L "
            "with eta' <= 1, additive noise level sigma in [0, 10], x_0 - x* = r u, all "
            "T <= 100; exact SGD moments",
       budget=(60, 400))
def aux_17(inst, variant):
    quad = random_quadratic(inst["d"], inst["cond"], inst["shape"], seed=inst["k"])
    e0 = offset(inst, "u", inst["d"], "r")
    return upper(*A.d10_sides(quad, e0, inst["eta"] / quad.L, inst["sigma"], 100))
