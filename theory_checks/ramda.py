"""RAMDA (Huang & Lee, NeurIPS 2024): claims RAMDA-C1 ... RAMDA-C23 of ``specs/ramda.md`` §6.

Reference solutions come from the certified oracles (``group_l1_logistic`` / ``lasso`` with
``weights="sqrt"``, polished), the nuclear-norm reference from a full-batch FISTA run to
dist(0, dF) <= 1e-10 (no oracle exists for it). Identification is scored on What_t by exact
zeros, per restart stage. Every instance reports its nondegeneracy margin
m* = min_{g off S*} (lam_g - ||grad_g f(W*)||).
"""

import math
from functools import lru_cache

import numpy as np

from sketchopt import oracles, stats
from sketchopt.methods import ramda as R
from sketchopt.methods import ramda_subproblem as SP
from sketchopt.nuclear import NuclearNorm
from sketchopt.penalties import L1, GroupL1

from . import claim, combine, equal, info, lower, predicate, upper
from ._trajectory import trajectory

BASE_SEED = 20240614


# ------------------------------------------------------------------------------ instances
def group_data(N, d, gs, active, seed=BASE_SEED):
    """Logistic data ``(X, y)``: Gaussian inputs, the first ``active`` groups of size ``gs``
    active with weights of modulus in [0.5, 1.5], labels drawn from the model."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    w = np.zeros(d)
    w[:active * gs] = rng.choice([-1.0, 1.0], active * gs) * (0.5 + rng.random(active * gs))
    return X, np.where(rng.random(N) < 1.0 / (1.0 + np.exp(-X @ w)), 1.0, -1.0)


@lru_cache(maxsize=None)
def group_instance(quick, weights="sqrt"):
    """Group-lasso logistic regression (spec §6.1 pilot; smaller in quick mode)."""
    N, d, gs, active = (2000, 40, 5, 3) if quick else (4000, 100, 5, 6)
    lam = 0.02
    X, y = group_data(N, d, gs, active)
    ref = oracles.group_l1_logistic(X, y, lam, gs, weights="sqrt")
    pen = GroupL1(lam, gs, d=d, weights=weights)
    pen_true = GroupL1(lam, gs, d=d, weights="sqrt")
    support = pen_true.groups.norms(ref.x) > 0
    lam_g = lam * np.sqrt(gs)
    return {"X": X, "y": y, "pen": pen, "pen_true": pen_true, "ref": ref, "S": support,
            "F": ref.objective, "lam_g": lam_g, "gs": gs,
            "margin": {"m_star": ref.margin, "m_star_over_lam_g": ref.margin / lam_g,
                       "min_norm_on_S": float(pen_true.groups.norms(ref.x)[support].min()),
                       "N": N, "d": d, "active_groups": active, "polished": ref.polished,
                       "gap": ref.gap}}


def stage_plan(quick):
    """(T, stages) of the stage-wise runs (spec pilot: 4 x 7500)."""
    return (8000, 4) if quick else (30000, 4)


@lru_cache(maxsize=None)
def staged_run(method, quick, variant=None):
    inst = group_instance(quick, "sqrt" if variant != "wrong_weights" else None)
    T, S = stage_plan(quick)
    kw = {"no_ramp": {"ramp": False}, "ramp_cap_0999": {"ramp_cap": 0.999}}.get(variant, {})
    return R.run(method, inst["X"], inst["y"], inst["pen"], T, batch=32, stages=S,
                 seed=stats.derive_seeds(BASE_SEED, 1)[0], stat_every=T // 200, **kw)


def per_stage_T0(supp, S, stage, n_stages):
    """Last step (1-based inside each stage) with supp != S; 0 if exact throughout."""
    ok = (supp == S).all(axis=1)
    out = []
    for k in range(n_stages):
        bad = np.flatnonzero(~ok[stage == k])
        out.append(int(bad[-1] + 1) if bad.size else 0)
    return np.array(out)


def group_support(pen, w):
    return pen.groups.norms(w) > 0


def random_subproblem(rng, d=24, gs=4, spread=10.0, lam=0.3):
    """A RAMDA-like subproblem: P = cbrt(U) + eps with P spread over [1, spread]."""
    pen = GroupL1(lam, gs, d=d, weights="sqrt")
    W0 = rng.standard_normal(d)
    V = rng.standard_normal(d) * 2.0
    P = np.exp(rng.uniform(0.0, np.log(spread), d))
    return pen, W0, V, P


def zero_ratio(pen, W0, V, P, alpha):
    """Per group ||P_g W0_g - V_g|| / (alpha lam_g): the exact subproblem solution is zero
    on group g iff this is <= 1 (spec §3.3)."""
    return np.array([np.linalg.norm(P[idx] * W0[idx] - V[idx]) for idx in pen.groups]) / (
        alpha * np.asarray(pen.thresholds))


def plant_zero_groups(rng, pen, W0, V, P, alpha, frac=0.5, ratio=(0.05, 0.9)):
    """Return a copy of V in which about ``frac`` of the groups lie strictly inside the zero
    region: ||P_g W0_g - V_g|| = u alpha lam_g with u ~ U(ratio) (u <= 0.9, so the zero
    decision is at least 10% away from the threshold)."""
    V = V.copy()
    for g, idx in enumerate(pen.groups):
        if rng.random() < frac:
            a = P[idx] * W0[idx] - V[idx]
            u = rng.uniform(*ratio)
            V[idx] = P[idx] * W0[idx] - a * (u * alpha * pen.thresholds[g] / np.linalg.norm(a))
    return V


def np_pg(Z, W0, V, P, alpha, pen, thetas):
    """Plain NumPy PG with a given step per iteration (used by broken variants)."""
    out = []
    for th in thetas:
        Z = pen.prox(Z - th * (V + P * (Z - W0)), th * alpha)
        out.append(Z)
    return out


# ------------------------------------------------------------------------------- claims
def one_step_error(Z0, W0, V, P, alpha, penalty, ref=None):
    """RAMDA-C1: with P = cI (c = P[0]), ``max|one PG step from Z0 - prox_{(alpha/c) psi}(W0 -
    V/c)|`` (the closed form with ``ref``, default ``penalty``) and the tolerance ``1e-13 (1 +
    ||W0 - V/c||_inf)``."""
    c = P[0]
    z = W0 - V / c
    closed = (penalty if ref is None else ref).prox(z, alpha / c)
    one = SP.pg_solve(Z0, W0, V, P, alpha, penalty, rule="fixed", max_iters=1,
                      step="global").x
    return np.abs(one - closed).max(), 1e-13 * (1 + np.abs(z).max())


@claim("RAMDA-C1", "ramda", "derived",
       "Spec §3.3/C1: with P = cI one PG step (theta = 1/c) from any Z0 equals "
       "prox_{(alpha/c)psi}(W0 - V/c), for group L1 with weights lam*sqrt(n_g) and the nuclear "
       "norm (SVT); max abs diff <= 1e-13 (1 + ||z||_inf)",
       broken=("no_sqrt_weights",))
def c1(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 1)
    errs, tols = [], []
    for _ in range(20 if quick else 200):
        pen, W0, V, _ = random_subproblem(rng)
        c, alpha = rng.uniform(0.5, 3.0), rng.uniform(0.2, 2.0)
        P = np.full(W0.size, c)
        ref_pen = GroupL1(pen.lam, 4, d=W0.size, weights=None) if broken else pen
        for penalty, ref in ((pen, ref_pen), (NuclearNorm(0.4, (6, 4)), None)):
            err, tol = one_step_error(rng.standard_normal(W0.size), W0, V, P, alpha, penalty,
                                      ref)
            errs.append(err)
            tols.append(tol)
    return upper(np.array(errs), np.array(tols), note="one PG step vs closed-form prox")


@claim("RAMDA-C2", "ramda", "derived",
       "Spec §3.3/C2: PG run to ||s_j|| <= 1e-13 equals the exact per-group scalar-root "
       "solution (GroupL1.prox_diag) to 1e-10 relative, with identical zero groups, on "
       "instances where about half the groups are planted strictly inside the zero region "
       "(||P_g W0_g - V_g|| <= 0.9 alpha lam_g); the instances must contain zero groups",
       broken=("no_sqrt_weights",))
def c2(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 2)
    parts, zeros_seen, nonzeros_seen = [], 0, 0
    for _ in range(10 if quick else 100):
        pen, W0, V, P = random_subproblem(rng, spread=5.0)
        alpha = rng.uniform(0.5, 2.0)
        V = plant_zero_groups(rng, pen, W0, V, P, alpha)
        pg = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="p7", eps=1e-13, max_iters=20000)
        ref_pen = GroupL1(pen.lam, 4, d=W0.size, weights=None) if broken else pen
        ex = SP.exact_solve(W0, V, P, alpha, ref_pen)
        zp, ze = group_support(pen, pg.x), group_support(pen, ex)
        zeros_seen += int((~ze).sum())
        nonzeros_seen += int(ze.sum())
        parts.append(equal(pg.x, ex))
        same = np.array_equal(zp, ze)
        parts.append(predicate(same, 0, 0, 0 if same else -1, note="zero groups equal"))
    seen = min(zeros_seen, nonzeros_seen)
    parts.append(predicate(seen > 0, seen, 1, seen - 1,
                           note="instances hold zero and nonzero groups"))
    out = combine(parts, note=f"PG vs exact root; {zeros_seen} zero and {nonzeros_seen} "
                  "nonzero groups in the instances")
    out.details.update({"zero_groups": zeros_seen, "nonzero_groups": nonzeros_seen})
    return out


@claim("RAMDA-C3", "ramda", "derived",
       "Spec §3.2-3.3/C3: a group is zero in the subproblem solution iff ||P_g W0_g - V_g|| <= "
       "alpha*lam*sqrt(n_g) (ramda_exp's screening rule). Independent part: on groups at "
       "least 10% away from the threshold (about half planted inside the zero region), the "
       "rule's mask equals the zero groups of PG without screening run to ||s_j|| <= 1e-13. "
       "Near-threshold part (+-1e-9 relative): the exact root solver's zero test is the same "
       "inequality, so agreement there is an algebraic identity (it checks rounding only). "
       "The public repo's mask (alpha*lam, no sqrt(n_g)) never screens a nonzero group; the "
       "zero groups it misses are counted",
       broken=("public_mask",))
def c3(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 3)
    n = 300 if quick else 1000
    bad = dict.fromkeys(("identity_mismatches", "pg_mismatches", "public_mask_unsafe",
                         "pg_unconverged"), 0)
    near, zeros, checked, missed = 0, 0, 0, 0
    for i in range(n):
        pen, W0, V, P = random_subproblem(rng, d=12, gs=3, spread=4.0)
        alpha = rng.uniform(0.3, 2.0)
        V = plant_zero_groups(rng, pen, W0, V, P, alpha)
        if i % 3 == 0:  # move one group to the threshold, then off it by +-1e-9 relative
            g = rng.integers(pen.groups.n_groups)
            idx = pen.groups.order[pen.groups.ptr[g]:pen.groups.ptr[g + 1]]
            a = P[idx] * W0[idx] - V[idx]
            target = alpha * pen.thresholds[g] * (1 + rng.choice([-1e-9, 1e-9]))
            V[idx] = P[idx] * W0[idx] - a * (target / np.linalg.norm(a))
            near += 1
        ex_zero = ~group_support(pen, SP.exact_solve(W0, V, P, alpha, pen))
        zeros += int(ex_zero.sum())
        mask = SP.screen(W0, V, P, alpha, pen, mask="public" if broken else "sqrt")
        public = SP.screen(W0, V, P, alpha, pen, mask="public")
        pg = SP.pg_solve(W0, W0, V, P, alpha, pen, rule="p7", eps=1e-13, max_iters=20000)
        pg_zero = ~group_support(pen, pg.x)
        away = np.abs(zero_ratio(pen, W0, V, P, alpha) - 1.0) >= 0.1
        checked += int(away.sum())
        bad["identity_mismatches"] += int(np.sum(mask != ex_zero))
        bad["pg_mismatches"] += int(np.sum((mask != pg_zero) & away))
        bad["public_mask_unsafe"] += int(np.sum(public & ~ex_zero))
        bad["pg_unconverged"] += int(pg.s_norm > 1e-13)
        missed += int(np.sum(~public & pg_zero & away))
    total = sum(bad.values()) + (zeros == 0)
    return predicate(total == 0, total, 0, -total,
                     note=f"{n} instances ({near} near-threshold), {zeros} zero groups, "
                     f"{checked} groups cross-checked against PG; the public mask misses "
                     f"{missed} zero groups",
                     details=dict(bad, zero_groups=zeros, pg_checked_groups=checked,
                                  public_mask_missed_zero_groups=missed))


def _rate_instance(rng):
    pen, W0, V, P = random_subproblem(rng, spread=8.0)
    alpha = rng.uniform(0.5, 2.0)
    ex = SP.exact_solve(W0, V, P, alpha, pen)
    return pen, W0, V, P, alpha, ex, SP.q_objective(ex, W0, V, P, alpha, pen)


def pg_rate_sides(pen, W0, V, P, alpha, Z0, eps, J=60, broken=None, step=2.2):
    """RAMDA-C4 on one subproblem (P already holds its + eps): ``Q(Z_j) - Q*`` for j = 1..J of
    PG with theta = 1/L (``broken``: NumPy PG with theta = step/L), the bounds ``(L/2)(1 - mu/L)^j
    ||Z0 - Z*||^2`` with (a) mu = min diag P and (b) mu = eps, and the float slack
    ``1e-12 max(1, |Q*|)``."""
    ex = SP.exact_solve(W0, V, P, alpha, pen)
    qstar = SP.q_objective(ex, W0, V, P, alpha, pen)
    L, mu = P.max(), P.min()
    if broken:
        Zs = np_pg(Z0, W0, V, P, alpha, pen, [step / L] * J)
        q = np.array([SP.q_objective(z, W0, V, P, alpha, pen) for z in Zs])
    else:
        q = SP.pg_solve(Z0, W0, V, P, alpha, pen, rule="fixed", max_iters=J,
                        step="global").q_hist
    j = np.arange(1, J + 1)
    r0 = np.sum((Z0 - ex) ** 2)
    return (q - qstar, 0.5 * L * (1 - mu / L) ** j * r0, 0.5 * L * (1 - eps / L) ** j * r0,
            np.full(J, 1e-12 * max(1.0, abs(qstar))))


@claim("RAMDA-C4", "ramda", "derived",
       "Theorem 1 eq. (11) / C4 (CLAIMS amendment, j >= 1): PG with theta = 1/L satisfies "
       "Q(Z_j) - Q* <= (L/2)(1 - mu/L)^j ||Z0 - Z*||^2 with L = max diag P and (a) mu = min "
       "diag P (derived, tighter) and (b) mu = eps (the paper's form, P = cbrt(U) + eps)",
       broken=("step_past_bound",))
def c4(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 4)
    meas, bd_a, bd_b, slack = [], [], [], []
    eps = 1e-3
    for _ in range(5 if quick else 30):
        pen, W0, V, P, alpha, ex, qstar = _rate_instance(rng)
        P = P + eps  # P = cbrt(U) + eps with cbrt(U) >= 1 > 0
        Z0 = rng.standard_normal(W0.size) * 3
        for acc, v in zip((meas, bd_a, bd_b, slack),  # slack: the spec's float slack
                          pg_rate_sides(pen, W0, V, P, alpha, Z0, eps, broken=broken)):
            acc.append(v)
    m, a, b, sl = (np.concatenate(v) for v in (meas, bd_a, bd_b, slack))
    # the first instance's curves, for the report's plot
    j = np.arange(1, meas[0].size + 1)
    curve = {k: trajectory(j, meas[0], bd[0], x_label="PG iteration j", y_label="Q(Z_j) - Q*")
             for k, bd in (("a", bd_a), ("b", bd_b))}
    return combine([upper(m, a + sl, note="(a) mu = min diag P [derived]",
                          details={"trajectory": curve["a"]}),
                    upper(m, b + sl, note="(b) mu = eps [paper's form]",
                          details={"trajectory": curve["b"]})])


def _iters_to(eps_list, s_hist):
    out = []
    for e in eps_list:
        hit = np.flatnonzero(s_hist <= e)
        out.append(hit[0] + 1 if hit.size else np.inf)
    return np.array(out, dtype=float)


def iteration_slope(pen, W0, V, P, alpha, Z0, J=3000, broken=None):
    """RAMDA-C5 on one subproblem: the fitted slope of j(eps) (iterations of PG with theta =
    1/L to ||s_j|| <= eps, eps = 1e-2..1e-12) against log10(1/eps) (inf if some eps is not
    reached within J) and its bound ln(10) L/mu (``broken``: steps 1/(L sqrt(j)))."""
    eps_list = 10.0 ** -np.arange(2, 13)
    L, mu = P.max(), P.min()
    if broken:  # steps 1/(L sqrt(j)): sublinear convergence, j(eps) polynomial in 1/eps
        th = 1.0 / (L * np.sqrt(np.arange(1, J + 1)))
        Zs = [Z0] + np_pg(Z0, W0, V, P, alpha, pen, th)
        s = np.array([np.linalg.norm((P - 1 / th[i]) * (Zs[i + 1] - Zs[i])) for i in range(J)])
    else:
        s = SP.pg_solve(Z0, W0, V, P, alpha, pen, rule="p7", eps=1e-12, max_iters=J,
                        step="global").s_hist
    j = _iters_to(eps_list, s)
    slope = np.polyfit(np.arange(2, 13, dtype=float), j, 1)[0] if np.all(np.isfinite(j)) \
        else np.inf
    return slope, np.log(10) * L / mu


@claim("RAMDA-C5", "ramda", "derived",
       "Theorem 1 / C5: iterations j(eps) for ||s_j|| <= eps, eps = 1e-2..1e-12, grow linearly "
       "in log10(1/eps): fitted slope finite and <= ln(10) L/mu (L, mu = max, min diag P)",
       broken=("diminishing_steps",))
def c5(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 5)
    slopes, bounds = [], []
    for _ in range(3 if quick else 20):
        pen, W0, V, P, alpha, ex, _ = _rate_instance(rng)
        Z0 = rng.standard_normal(W0.size)
        slope, bound = iteration_slope(pen, W0, V, P, alpha, Z0, broken=broken)
        slopes.append(slope)
        bounds.append(bound)
    return upper(np.array(slopes), np.array(bounds), note="slope of j(eps) vs log10(1/eps)",
                 details={"slopes": slopes, "bounds": bounds})


def subgradient_parts(pen, W0, V, P, alpha, Z0, j, broken=None):
    """RAMDA-C6 after j >= 1 PG iterations from Z0 (per-group steps): ``(res, prev, s, u)``
    with ``res`` the PG result at j, ``prev = Z_{j-1}``, ``s = (P - 1/theta)(Z_j - Z_{j-1})``
    (``broken``: without P) and ``u = s - grad q(Z_j)``."""
    prev = SP.pg_solve(Z0, W0, V, P, alpha, pen, rule="fixed", max_iters=j - 1).x if j > 1 \
        else Z0
    res = SP.pg_solve(Z0, W0, V, P, alpha, pen, rule="fixed", max_iters=j)
    Z = res.x
    theta = pen.groups.expand(1.0 / np.array([P[g].max() for g in pen.groups]))
    s = (-(1 / theta) if broken else (P - 1 / theta)) * (Z - prev)
    return res, prev, s, s - (V + P * (Z - W0))


def subgradient_bounds(pen, W0, V, P, alpha, Z, s, u):
    """RAMDA-C6's inequalities: ``(dist(0, dQ(Z_j)), ||s_j||)`` and, over the zero groups of
    Z_j, ``(||u_g||, alpha lam_g (1 + 1e-12))``."""
    nz = pen.groups.norms(Z)
    zero = [(np.linalg.norm(u[idx]), alpha * pen.thresholds[g] * (1 + 1e-12))
            for g, idx in enumerate(pen.groups) if nz[g] == 0]
    return ((SP.q_stationarity(Z, W0, V, P, alpha, pen), np.linalg.norm(s)),
            tuple(np.array(v, dtype=float).reshape(-1) for v in zip(*zero)) if zero
            else (np.zeros(0), np.zeros(0)))


@claim("RAMDA-C6", "ramda", "derived",
       "Spec §3.1/C6 (eq. (9) of the proof): s_j = (P - 1/theta)(Z_j - Z_{j-1}) lies in dQ(Z_j): "
       "||s_j|| >= dist(0, dQ(Z_j)) (exact group formula) and s_j - grad q(Z_j) equals "
       "alpha*lam_g Z_g/||Z_g|| on nonzero groups, has norm <= alpha*lam_g on zero groups",
       broken=("s_without_P",))
def c6(quick=True, broken=None):
    rng = np.random.default_rng(BASE_SEED + 6)
    parts = []
    for _ in range(10 if quick else 100):
        pen, W0, V, P, alpha, _, _ = _rate_instance(rng)
        Z0 = rng.standard_normal(W0.size)
        j = int(rng.integers(1, 8))
        res, prev, s, u = subgradient_parts(pen, W0, V, P, alpha, Z0, j, broken)
        Z = res.x
        theta = pen.groups.expand(1.0 / np.array([P[g].max() for g in pen.groups]))
        (dist, s_norm), zero = subgradient_bounds(pen, W0, V, P, alpha, Z, s, u)
        parts.append(upper(dist, s_norm, note="dist(0, dQ(Z_j)) <= ||s_j||"))
        parts.append(equal(res.s_norm, np.linalg.norm((P - 1 / theta) * (Z - prev)),
                           rtol=1e-12, atol=1e-14))
        nz = pen.groups.norms(Z)
        zero = iter(zip(*zero))  # (||u_g||, tau_g (1 + 1e-12)) of the zero groups, in order
        for g, idx in enumerate(pen.groups):
            tau = alpha * pen.thresholds[g]
            if nz[g] > 0:
                parts.append(equal(u[idx], tau * Z[idx] / nz[g], rtol=1e-12,
                                   atol=1e-12 * tau))
            else:
                parts.append(upper(*next(zero)))
    return combine(parts, note="s_j is a subgradient of Q at Z_j")


def step_decrease(X, y, pen, T, seed, batch=32, stages=3, **kw):
    """RAMDA-C7: per RAMDA step (the code's PG, warm start W_{t-1} unless ``kw`` says
    otherwise) the relative change ``(Q_t(What_t) - Q_t(W_{t-1})) / (1 + |Q_t|)``."""
    return R.run("ramda", X, y, pen, T, batch=batch, stages=stages, seed=seed,
                 **kw).stats["q_decrease"]


@claim("RAMDA-C7", "ramda", "derived",
       "(P-7) second half / C7: along every RAMDA step with the code's PG (warm start W_{t-1}), "
       "Q_t(What_t) <= Q_t(W_{t-1}) up to 1e-12 (1 + |Q_t|)",
       broken=("start_at_W0",))
def c7(quick=True, broken=None):
    inst = group_instance(quick)
    T = 1500 if quick else 30000
    # The broken variant needs two mistakes at once: PG started at W0 AND stopped after one
    # iteration. Started at W0 with the code rule's >= 2 iterations, PG still ends below
    # Q_t(W_{t-1}) on this problem (max relative change -3.3e-8 in quick mode), so the
    # relation holds; it is the one-iteration cut that breaks it.
    kw = {"start_anchor": True, "rule": "fixed", "max_iters": 1} if broken else {}
    dec = step_decrease(inst["X"], inst["y"], inst["pen"], T,
                        stats.derive_seeds(BASE_SEED, 2)[1], **kw)
    return upper(dec, 1e-12, note="(Q_t(What_t)-Q_t(W_{t-1}))/(1+|Q_t|)",
                 details=dict(inst["margin"], T=T))


@claim("RAMDA-C8", "ramda", "empirical",
       "C8 (informational): fraction of steps at which the code's early stop (relative "
       "decrease < 1e-8, >= 2 and <= 100 PG iterations) delivers (P-7) for eps_t = C t^-0.6 "
       "(C = 1e-2), with dist(0, dQ_t(What_t)) exact. Sub-check: the code rule's 2..100 "
       "iteration window is respected at every step",
       broken=("one_iteration",))
def c8(quick=True, broken=None):
    inst = group_instance(quick)
    T, S = stage_plan(quick)
    kw = {"max_iters": 1} if broken else {}
    tr = R.run("ramda", inst["X"], inst["y"], inst["pen"], T, batch=32, stages=S,
               seed=stats.derive_seeds(BASE_SEED, 1)[0], **kw)
    stage = tr.stats["stage"]
    t_in = np.concatenate([np.arange(1, np.sum(stage == k) + 1) for k in range(S)])
    target = 1e-2 * t_in ** -0.6
    frac = float(np.mean(tr.stats["q_dist"] <= target))
    it = tr.stats["pg_iters"]
    ok = bool(it.min() >= 2 and it.max() <= 100)
    sub = predicate(ok, it.min(), 2, float(it.min() - 2) if ok else -1.0,
                    note="PG iterations within [2, 100]")
    return info(frac, note=f"(P-7) holds at {frac:.1%} of steps under the code's rule",
                details={"frac_p7": frac, "median_log10_dist": float(
                    np.median(np.log10(tr.stats["q_dist"] + 1e-300))),
                    "mean_pg_iters": float(it.mean())}, sub=sub)


@claim("RAMDA-C9", "ramda", "derived",
       "C9 special cases over a shared minibatch stream: (i) psi = 0: RAMDA = MADGRAD with "
       "lr' = lr - eps and momentum = 1 - c; (ii) RAMDA's subproblem with P_t = sqrt(t) I "
       "(solved by PG) reproduces RMDA; (iii) RMDA with eta_t = eta0/sqrt(t), c = 1, W0 = 0 is "
       "RDA with gamma = 1/eta0 (exact identities at the spec's 1e-12 relative, absolute "
       "floor 1e-14, both tighter than the contract's)",
       broken=("lr_without_eps",))
def c9(quick=True, broken=None):
    inst = group_instance(True)
    X, y, pen = inst["X"], inst["y"], inst["pen"]
    T = 200 if quick else 1000
    b = R.draw_batches(X.shape[0], T, 16, stats.derive_seeds(BASE_SEED, 3)[2])
    lr, c, eps = 1e-2, 0.1, 1e-6
    ra = R.run("ramda", X, y, L1(0.0), T, batches=b, eta=lr, c=c, eps=eps, stat_every=1)
    mg = R.madgrad(X, y, b, lr=lr if broken else lr - eps, momentum=1 - c, eps=eps)
    tol = {"rtol": 1e-12, "atol": 1e-14}  # spec C9; stricter than CLAIMS.md's 1e-10 / 1e-12
    parts = [equal(ra.x, mg, note="(i) RAMDA(psi=0) vs MADGRAD", **tol)]
    rm = R.run("rmda", X, y, pen, T, batches=b, eta=0.1, c=c, stat_every=1)
    W, V, alpha, Ws = np.zeros(X.shape[1]), np.zeros(X.shape[1]), 0.0, [np.zeros(X.shape[1])]
    for t in range(1, T + 1):
        s = 0.1 * np.sqrt(t)
        alpha += s
        V += s * R.batch_grad(X, y, W, b[t - 1], 0)
        P = np.full(W.size, np.sqrt(t))
        What = SP.pg_solve(W, np.zeros(W.size), V, P, alpha, pen, rule="fixed",
                           max_iters=1).x
        W = (1 - c) * W + c * What
        Ws.append(W)
    parts.append(equal(rm.x, np.array(Ws), note="(ii) RAMDA with P = sqrt(t) I vs RMDA", **tol))
    rd = R.run("rmda", X, y, pen, T, batches=b, eta=0.1, c=1.0, rda_decay=True, stat_every=1)
    parts.append(equal(rd.x, R.rda(X, y, pen, b, 1 / 0.1), note="(iii) RMDA vs RDA", **tol))
    return combine(parts)


@claim("RAMDA-C10", "ramda", "derived",
       "C10: with constant eta the RAMDA kernel's alpha_t equals eta sum_{k<=t} sqrt(k) "
       "(math.fsum, 1e-10 relative at log-spaced t; the spec's 1e-14 is below the rounding of "
       "a 1e6-term running sum), and from the kernel's own s_t = alpha_t - alpha_{t-1}: "
       "sum_t s_t/alpha_t grows like (3/2) ln T (growth constant within 5% between T/10 and "
       "T = 1e6) and the tail of sum (s_t/alpha_t)^2 beyond T/10 is below 2.5/(T/10) "
       "(convergent, terms ~ (9/4)/t^2), so (P-13) holds",
       broken=("decaying_eta",))
def c10(quick=True, broken=None):
    full = group_instance(True)
    # psi = 0 keeps the subproblem closed-form, so 1e6 steps of the kernel are cheap
    X, y = np.ascontiguousarray(full["X"][:50, :3]), full["y"][:50]
    T, eta = (10 ** 5 if quick else 10 ** 6), 0.01
    # broken: eta_t = eta/sqrt(t) (a decaying step where the claim needs a constant one)
    tr = R.run("ramda", X, y, L1(0.0), T, batch=1, eta=eta, stat_every=T,
               seed=stats.derive_seeds(BASE_SEED, 10)[9], rda_decay=broken is not None)
    alpha = tr.stats["alpha"]
    s = np.diff(alpha, prepend=0.0)
    r = s / alpha
    s1, s2 = np.cumsum(r), np.cumsum(r * r)
    growth = (s1[-1] - s1[T // 10 - 1]) / np.log(10)
    tail = s2[-1] - s2[T // 10 - 1]
    cps = np.unique(np.geomspace(1, T, 25).astype(int))
    terms = eta * np.sqrt(np.arange(1, T + 1, dtype=float))
    exact = np.array([math.fsum(terms[:c]) for c in cps])
    return combine([equal(alpha[cps - 1], exact, note="alpha_t vs eta sum sqrt(k)"),
                    upper(abs(growth / 1.5 - 1), 0.05, note="growth constant vs 3/2"),
                    upper(tail, 2.5 / (T // 10), note="tail of sum (s/alpha)^2")],
                   note=f"T = {T}: growth constant {growth:.5f}, tail {tail:.3g}")


C11_EVERY = 10  # full-data statistics every 10 steps; C11's checkpoints are multiples of 10


@lru_cache(maxsize=None)
def _one_stage_runs(quick, variant=None):
    full = group_instance(True)
    inst = {"X": full["X"][:400, :20], "y": full["y"][:400],
            "pen": GroupL1(full["pen"].lam, 5, d=20, weights="sqrt")}
    T = 2000 if quick else 20000
    n_seeds = 4 if quick else 20
    seeds = stats.derive_seeds(BASE_SEED + 11, n_seeds)
    # broken: the scheduler's restart fires after every optimizer step (milestones read in
    # steps, not epochs), so V_t, alpha_t are reset and the dual average is one gradient
    kw = dict(stages=[1] * T, gamma=1.0, ramp=False) if variant == "restart_every_step" else {}
    runs = [R.run("ramda", inst["X"], inst["y"], inst["pen"], T, batch=8, seed=int(s),
                  stat_every=C11_EVERY, **kw) for s in seeds]
    return inst, T, seeds, runs


@claim("RAMDA-C11", "ramda", "empirical",
       "Eq. (18)/C11: the dual average's error e_t = ||V_t/alpha_t - grad f(W_t)|| (the "
       "kernel's dual_err, exact full gradient) decreases in t (median over seeds at 6 "
       "log-spaced checkpoints) and at the end of a long stage e_t <= 0.1 x the raw minibatch "
       "noise ||G_t - grad f(W_{t-1})|| (the kernel's raw_noise)",
       broken=("restart_every_step",))
def c11(quick=True, broken=None):
    _, T, seeds, runs = _one_stage_runs(quick, broken)
    checkpoints = np.unique(np.round(np.geomspace(10, T, 6) / C11_EVERY).astype(int)) * C11_EVERY
    rows = checkpoints // C11_EVERY  # statistics row k is step k * C11_EVERY (row 0: start)
    e_med = np.median([tr.stats["dual_err"][rows] for tr in runs], axis=0)
    raw_med = np.median([tr.stats["raw_noise"][rows] for tr in runs], axis=0)
    return combine([
        upper(np.diff(e_med), 0.0, note="median e_t decreasing over checkpoints"),
        upper(e_med[-1] / raw_med[-1], 0.1, note="e_T / raw noise <= 0.1")],
        note=f"checkpoints {checkpoints.tolist()}, {len(seeds)} seeds; median e_t "
        f"{np.array2string(e_med, precision=3)}")


@claim("RAMDA-C12", "ramda", "derived",
       "Eqs. (17), (22)/C12: U_t/alpha_t matches E_xi[G o G] = grad f o grad f + diag(Cov_i "
       "grad f_i)/b at the final point within 10% (mean relative error over coordinates; an "
       "empirical check of the a.s. limit); and (22) P_t/alpha_t = alpha^(-2/3) cbrt(U_t/"
       "alpha_t) + eps/alpha_t to the spec's 1e-12 relative. The spec's difference form "
       "alpha^(2/3) P_t/alpha_t - cbrt(U_t/alpha_t) = eps alpha^(-1/3) loses ~9 digits to "
       "cancellation (eps is 1e-7 of the terms); its relative error is reported",
       broken=("eps_in_root",))
def c12(quick=True, broken=None):
    inst = group_instance(True)
    X, y = inst["X"], inst["y"]
    T = 6000 if quick else 50000
    b = 8
    tr = R.run("ramda", X, y, inst["pen"], T, batch=b, eta=0.005,
               seed=stats.derive_seeds(BASE_SEED, 4)[3], eps_in_root=broken is not None)
    st = tr.meta["state"]
    alpha, U, P, eps = st["alpha"], st["U"], st["P"], st["eps"]
    W = tr.meta["W"]
    r = -y / (1 + np.exp(y * (X @ W)))
    per = X * r[:, None]
    grad = per.mean(axis=0)
    EGG = grad ** 2 + per.var(axis=0) / b
    rel = float(np.mean(np.abs(U / alpha - EGG) / EGG))
    rhs = alpha ** (-2 / 3) * np.cbrt(U / alpha) + eps / alpha
    diff_form = alpha ** (2 / 3) * P / alpha - np.cbrt(U / alpha)
    diff_rel = float(np.max(np.abs(diff_form - eps * alpha ** (-1 / 3)) /
                            (eps * alpha ** (-1 / 3))))
    out = combine([upper(rel, 0.10, note="mean relative error of U_t/alpha_t"),
                   equal(P / alpha, rhs, rtol=1e-12, atol=0.0, note="identity (22)")])
    out.details["difference_form_max_rel_err"] = diff_rel
    return out


def _stage_tail_means(values, steps, tr, frac=10):
    """Mean of ``values`` over the last 1/frac of each stage (``steps`` are 1-based)."""
    ends = tr.meta["stage_ends"]
    starts = np.concatenate([[0], ends[:-1]])
    return np.array([values[(steps > e - max(1, (e - s) // frac)) & (steps <= e)].mean()
                     for s, e in zip(starts, ends)])


@claim("RAMDA-C13", "ramda", "empirical",
       "Theorem 2/C13: dist(0, dF(What_t)) (exact group formula, full gradient) trends down "
       "over restart stages (value at each stage end, averaged over its last 10%, non-"
       "increasing) and the final value is <= 1e-2 ||grad f(W0)||. dist(0, dF(W_t)) and "
       "||W_t - What_t|| per stage are reported, not scored: before c_t = 1, W_t keeps "
       "geometrically decaying nonzeros (until they underflow) on zero groups of What_t, and "
       "each such group adds at least lam_g - ||grad_g f|| to dist(0, dF(W_t))",
       broken=("wrong_weights",))
def c13(quick=True, broken=None):
    inst = group_instance(quick)
    tr = staged_run("ramda", quick, broken)
    pen = inst["pen_true"]

    def dist(ws):  # stationarity w.r.t. the true (sqrt-weighted) problem
        return np.array([pen.subdiff_distance(w, R.full_value_grad(inst["X"], inst["y"], w,
                                                                   0)[1]) for w in ws])
    per_stage = _stage_tail_means(dist(tr.stats["What"]), tr.steps, tr)
    per_stage_W = _stage_tail_means(dist(tr.x), tr.steps, tr)
    gap = tr.stats["w_gap"]
    per_stage_gap = _stage_tail_means(gap, np.arange(1, gap.size + 1), tr)
    g0 = np.linalg.norm(R.full_value_grad(inst["X"], inst["y"], np.zeros(inst["X"].shape[1]),
                                          0)[1])
    out = combine([upper(np.diff(per_stage), 0.0, note="non-increasing over stages"),
                   upper(per_stage[-1], 1e-2 * g0, note="final <= 1e-2 ||grad f(W0)||")],
                  note=f"per-stage dist {np.array2string(per_stage, precision=2)}")
    out.details.update({"dist_hat_per_stage": per_stage.tolist(),
                        "dist_W_per_stage": per_stage_W.tolist(),
                        "W_minus_What_per_stage": per_stage_gap.tolist(),
                        "W_minus_What_final": float(gap[-1]), "grad_f_W0": float(g0)})
    return out


@claim("RAMDA-C14", "ramda", "paper",
       "Theorem 3/C14 (finite-time identification, scored on What_t by exact zeros): for RAMDA "
       "and RMDA, inside every restart stage there is T0 <= stage length/10 after which the "
       "group support of What_t equals S* of the certified, polished reference at every step "
       "(the spec's 'much less than the stage length' read as an order of magnitude); "
       "ProxSGD does not identify (its support still changes in the last half of the final "
       "stage); ProxSGD and ProxGen exact-support fractions are reported",
       broken=("score_W", "wrong_weights"))
def c14(quick=True, broken=None):
    inst = group_instance(quick)
    T, S = stage_plan(quick)
    L = T // S
    parts, det = [], dict(inst["margin"])
    parts.append(lower(inst["margin"]["m_star_over_lam_g"], 0.05, note="m* >= 0.05 lam_g"))
    pol = bool(inst["ref"].polished)
    # a boolean has no natural slack: margin 1 when true keeps T0 as the headline
    parts.append(predicate(pol, float(pol), 1.0, 1.0 if pol else -1.0,
                           note="reference polished (exact support)"))
    for m in ("ramda", "rmda", "proxsgd", "proxgen"):
        tr = staged_run(m, quick, "wrong_weights" if broken == "wrong_weights" else None)
        key = "supp_W" if broken == "score_W" else "supp_hat"
        supp = tr.stats[key]
        T0 = per_stage_T0(supp, inst["S"], tr.stats["stage"], S)
        det[f"T0_{m}"] = T0.tolist()
        det[f"exact_fraction_{m}"] = float((supp == inst["S"]).all(axis=1).mean())
        if m in ("ramda", "rmda"):
            parts.append(upper(T0, L / 10, note=f"{m}: T0 per stage <= L/10"))
        elif m == "proxsgd":
            parts.append(lower(T0[-1], L / 2 + 1, note="ProxSGD: support unstable"))
    out = combine(parts, note="T0 per stage " + ", ".join(
        f"{m} {det['T0_' + m]}" for m in ("ramda", "rmda")) + f" of L = {L}")
    out.details.update(det)
    return out


def _ramp_one_step(c0):
    """First final-stage step i with c0*sqrt(i + 1) >= 1 (the code's counter), i.e.
    ceil(1/c0^2) - 1; rounding 1/c0^2 to 9 decimals removes the float noise of c0^2."""
    return int(np.ceil(np.round(1.0 / c0 ** 2, 9))) - 1


@claim("RAMDA-C15", "ramda", "derived",
       "C15 (App. A.1 momentum ramp): with c_t = min(c sqrt(i+1), 1) in the final stage, "
       "c_t = 1 from final-stage step ceil(1/c^2) - 1 on, and from that step on W_t == What_t "
       "bitwise at every step (so W_T has exact zeros) and supp(W_T) = S*, for RAMDA and RMDA",
       broken=("no_ramp", "ramp_cap_0999"))
def c15(quick=True, broken=None):
    inst = group_instance(quick)
    parts, det = [], {}
    for m in ("ramda", "rmda"):
        tr = staged_run(m, quick, broken)
        final = tr.stats["stage"] == tr.stats["stage"].max()
        i_one = _ramp_one_step(tr.meta["c"])
        c_final = tr.stats["c"][final]
        first_one = int(np.argmax(c_final >= 1.0)) + 1 if np.any(c_final >= 1) else -1
        parts.append(predicate(first_one == i_one, first_one, i_one,
                               0.0 if first_one == i_one else -1.0,
                               note=f"{m}: first final-stage step with c_t = 1"))
        # the spec's relation, scored from the step the formula gives (not the kernel's c_t)
        gap = tr.stats["w_gap"][final][i_one - 1:]
        n_diff = int(np.count_nonzero(gap)) + int(
            not np.array_equal(tr.meta["W"], tr.meta["state"]["What"]))
        parts.append(predicate(n_diff == 0, float(gap.max()), 0.0, -float(n_diff),
                               note=f"{m}: W_t == What_t bitwise from final-stage step {i_one}"))
        same = np.array_equal(group_support(inst["pen"], tr.meta["W"]), inst["S"])
        parts.append(predicate(same, float(same), 1.0, 0.0 if same else -1.0,
                               note=f"{m}: supp(W_T) = S*"))
        det[m] = {"first_c1_step": first_one, "steps_with_W_ne_What": n_diff,
                  "max_W_minus_What": float(gap.max())}
    out = combine(parts)
    out.details.update(det)
    return out


def _stage_gaps(tr, inst):
    """Relative gap of the true (sqrt-weighted) objective, averaged over each stage's last
    10%."""
    X, y, pen, Fstar = inst["X"], inst["y"], inst["pen_true"], inst["F"]
    F = np.array([R.full_value_grad(X, y, w, 0)[0] + pen.value(w) for w in tr.x])
    return (_stage_tail_means(F, tr.steps, tr) - Fstar) / abs(Fstar)


@claim("RAMDA-C16", "ramda", "empirical",
       "C16: relative objective gap (F(W_t) - F*)/|F*| at the end of each stage (averaged over "
       "its last 10%) decreases across stages for RAMDA and RMDA, and the final gap is <= 1e-3 "
       "(pilot ~1e-4); ProxGen and ProxSGD at equal gradient evaluations are reported",
       broken=("wrong_weights",))
def c16(quick=True, broken=None):
    inst = group_instance(quick)
    parts, det = [], {}
    for m in ("ramda", "rmda", "proxgen", "proxsgd"):
        tr = staged_run(m, quick, broken)
        gaps = _stage_gaps(tr, inst)
        det[m] = gaps.tolist()
        if m in ("ramda", "rmda"):
            parts.append(upper(np.diff(gaps), 0.0, note=f"{m}: gap decreasing over stages"))
            parts.append(upper(gaps[-1], 1e-3, note=f"{m}: final relative gap"))
    out = combine(parts)
    out.details.update(det)
    return out


def weighted_sparsity(supp, sizes):
    return 1.0 - (supp * sizes).sum(axis=-1) / sizes.sum()


@claim("RAMDA-C17", "ramda", "empirical",
       "C17: weighted group sparsity 1 - sum_{g nonzero} n_g / sum n_g of the final W and What "
       "equals W*'s exactly for RAMDA and RMDA; ProxSGD/ProxGen final sparsity <= W*'s, with "
       "its std over the last 10% of iterations reported",
       broken=("no_ramp",))
def c17(quick=True, broken=None):
    inst = group_instance(quick)
    sizes = inst["pen"].groups.sizes
    target = weighted_sparsity(inst["S"], sizes)
    parts, det = [], {"W_star": float(target)}
    for m in ("ramda", "rmda", "proxsgd", "proxgen"):
        tr = staged_run(m, quick, broken)
        sW = weighted_sparsity(tr.stats["supp_W"][-1], sizes)
        sH = weighted_sparsity(tr.stats["supp_hat"][-1], sizes)
        tail = weighted_sparsity(tr.stats["supp_W"][-len(tr.stats["c"]) // 10:], sizes)
        det[m] = {"final_W": float(sW), "final_hat": float(sH), "tail_std": float(tail.std())}
        if m in ("ramda", "rmda"):
            parts.append(equal([sW, sH], target, note=f"{m}: sparsity equals W*'s"))
        else:
            parts.append(upper(sW, target, note=f"{m}: sparsity <= W*'s"))
    out = combine(parts)
    out.details.update(det)
    return out


@claim("RAMDA-C18", "ramda", "code",
       "C18 (Core/scheduler.py restart): at a milestone t, alpha, V, U <- 0, W0 <- W, eta <- "
       "gamma eta, eps <- gamma eps (exact state equality), and the first post-restart What, "
       "computed by the PG path (Algorithm 2 from W_{t-1} = the new W0, stopped by (P-7) at "
       "||s_j|| <= 1e-15), solves Q with s_1 = eta (against the exact root solution, 1e-10 "
       "relative, as in C2)",
       broken=("no_restart",))
def c18(quick=True, broken=None):
    inst = group_instance(True)
    X, y, pen = inst["X"], inst["y"], inst["pen"]
    L = 300
    b = R.draw_batches(X.shape[0], 2 * L, 16, stats.derive_seeds(BASE_SEED, 5)[4])
    # (P-7) target eps_C * t^-0.6 is eps_C at the first post-restart step. eps = 1e-2 (1e-3
    # after the restart) bounds P below, so ||s|| <= 1e-15 certifies ||What - Q's minimizer||
    # <= 1e-15 / min P <= 1e-12, the contract's absolute floor (with the default eps = 1e-6
    # the certified radius would be ~1e-9 at best)
    kw = dict(eta=1e-2, c=0.1, eps=1e-2, gamma=0.1, restart=broken is None, ramp=False,
              rule="p7", eps_C=1e-15, max_iters=20000)
    first = R.run("ramda", X, y, pen, L, batches=b[:L], **kw)
    two = R.run("ramda", X, y, pen, L + 1, batches=b[:L + 1], stages=[L, 1], **kw)
    st = two.meta["state"]
    W_m = first.meta["W"]
    G = R.batch_grad(X, y, W_m, b[L], 0)
    s1 = 1e-3
    P = np.cbrt(s1 * G * G) + 1e-3
    expect = SP.exact_solve(W_m, s1 * G, P, s1, pen)
    return combine([equal([st["alpha"], st["t"], st["eta"], st["eps"]], [s1, 1, 1e-3, 1e-3],
                          note="alpha, t, eta, eps after restart"),
                    equal(st["W0"], W_m, note="W0 <- W"),
                    equal(st["V"], s1 * G, note="V"), equal(st["U"], s1 * G * G, note="U"),
                    equal(st["What"], expect, note="first What (PG) solves Q")],
                   note=f"PG iterations at the first post-restart step: "
                   f"{int(two.stats['pg_iters'][-1])}")


def _proxgen_subproblems(X, y, W_path, batches, eta, betas=(0.9, 0.999), eps=1e-8):
    """The (P-6) subproblems (V = eta m_hat, P = D, anchor W_old) along a ProxGen path
    ``W_path`` (T+1 iterates) with minibatches ``batches``: yields (t, W_old, V, D)."""
    b1, b2 = betas
    m, v = np.zeros(X.shape[1]), np.zeros(X.shape[1])
    for t in range(1, len(batches) + 1):
        W = W_path[t - 1]
        G = R.batch_grad(X, y, W, batches[t - 1], 0)
        m, v = b1 * m + (1 - b1) * G, b2 * v + (1 - b2) * G * G
        yield t, W, eta / (1 - b1 ** t) * m, np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps


@claim("RAMDA-C19", "ramda", "derived",
       "Table 2/C19: along a ProxGen run, each (P-6) subproblem (V = lr m_hat, P = D, threshold "
       "lr lam_g, start W_old) solved by PG stopped by (P-7) at eps_t = 1e-6 min D (||Z_c|| - "
       "r_c) agrees with the exact root solution (ProxSSI's equation) to 1e-6 relative, the "
       "spec's tolerance; Z_c is the code rule's solution and r_c = dist(0, dQ(Z_c))/min D its "
       "certified radius, so by strong convexity ||Z - Z*|| <= eps_t/min D <= 1e-6 ||Z*|| "
       "[derived]. Final F of ProxGen with PG (code rule) and with the exact solver within "
       "1e-4 relative. Finding, reported: with the authors' early stop (relative decrease "
       "1e-8) PG does NOT reach 1e-6 (median relative error ~1e-5); ProxSSI's F and the "
       "wall-time ratio are reported",
       broken=("one_pg_iteration", "exact_without_sqrt"))
def c19(quick=True, broken=None):
    inst = group_instance(True)
    X, y, pen = inst["X"], inst["y"], inst["pen"]
    T, lr = (400 if quick else 1000), 1e-2
    sd = stats.derive_seeds(BASE_SEED, 6)[5]
    pg = R.run("proxgen", X, y, pen, T, batch=32, seed=sd, eta=lr, stat_every=1)
    ex = R.run("proxgen", X, y, pen, T, batch=32, seed=sd, eta=lr, solver="exact")
    ssi = R.run("proxssi", X, y, pen, T, batch=32, seed=sd, eta=lr)
    ref_pen = GroupL1(pen.lam, inst["gs"], d=X.shape[1], weights=None) \
        if broken == "exact_without_sqrt" else pen
    # broken: PG cut to one iteration (the (P-7) target is then not reached)
    max_iters = 1 if broken == "one_pg_iteration" else 100000
    rel, rel_code, iters, unmet = [], [], [], 0
    for t, W, Vq, D in _proxgen_subproblems(X, y, pg.x, R.draw_batches(X.shape[0], T, 32, sd),
                                            lr):
        sol = SP.exact_solve(W, Vq, D, lr, ref_pen)
        Zc = pg.x[t]
        r_c = SP.q_stationarity(Zc, W, Vq, D, lr, pen) / D.min()
        eps_t = 1e-6 * D.min() * max(np.linalg.norm(Zc) - r_c, 0.0)
        res = SP.pg_solve(W, W, Vq, D, lr, pen, rule="p7", eps=eps_t, max_iters=max_iters)
        unmet += int(res.s_norm > eps_t)
        iters.append(res.n_iter)
        nsol = max(np.linalg.norm(sol), 1e-300)
        rel.append(np.linalg.norm(res.x - sol) / nsol)
        rel_code.append(np.linalg.norm(Zc - sol) / nsol)
    rel, rel_code = np.array(rel), np.array(rel_code)
    F = [pg.stats["F"][-1], ex.stats["F"][-1]]
    out = combine([upper(rel, 1e-6, note="per-step ||Z_PG(P-7) - Z_exact|| / ||Z_exact||"),
                   upper(abs(F[0] - F[1]) / abs(F[1]), 1e-4, note="final F")],
                  note=f"PG to (P-7): max relative error {rel.max():.2e}; code rule: median "
                  f"{np.median(rel_code):.1e}, max {rel_code.max():.1e}")
    out.details.update({
        "F_pg": F[0], "F_exact": F[1], "F_proxssi": ssi.stats["F"][-1],
        "p7_rel_err_max": float(rel.max()), "p7_target_unmet_steps": unmet,
        "p7_pg_iters_median": float(np.median(iters)), "p7_pg_iters_max": int(max(iters)),
        "code_rule_rel_err_median": float(np.median(rel_code)),
        "code_rule_rel_err_max": float(rel_code.max()),
        "code_rule_spec_1e-6_holds_at_fraction": float(np.mean(rel_code <= 1e-6)),
        "code_rule_mean_pg_iters": float(pg.stats["pg_iters"].mean()),
        "seconds_pg": pg.seconds, "seconds_exact": ex.seconds})
    return out


@claim("RAMDA-C20", "ramda", "paper",
       "Table 1/C20: RAMDA and ProxGen with PG 'no early stop' (100 iterations) vs 'early stop' "
       "(relative decrease 1e-8, at least 2): final F (both scored on the true sqrt-weighted "
       "objective) within 1e-4 relative; same final support of What for RAMDA. The relation "
       "does not hinge on the stopping rule (rtol = 0.5 or one PG iteration stay within "
       "3e-6); a solver mistake, a step past 2/L in the early-stopped PG, breaks it",
       broken=("step_past_2_over_L",))
def c20(quick=True, broken=None):
    inst = group_instance(True)
    X, y, pen = inst["X"], inst["y"], inst["pen"]
    T = 1500 if quick else 10000
    sd = stats.derive_seeds(BASE_SEED, 7)[6]

    def F_true(w):
        return R.full_value_grad(X, y, w, 0)[0] + inst["pen_true"].value(w)
    parts, det = [], {}
    for m, eta in (("ramda", 1e-2), ("proxgen", 1e-2)):
        early = R.run(m, X, y, pen, T, batch=32, seed=sd, eta=eta, stages=3, rtol=1e-8,
                      step_scale=2.2 if broken else 1.0)
        full = R.run(m, X, y, pen, T, batch=32, seed=sd, eta=eta, stages=3, rule="fixed")
        Fe, Ff = F_true(early.meta["W"]), F_true(full.meta["W"])
        det[m] = {"F_early": Fe, "F_full": Ff,
                  "mean_pg_iters_early": float(early.stats["pg_iters"].mean())}
        parts.append(upper(abs(Fe - Ff) / abs(Ff), 1e-4, note=f"{m}: final F"))
        if m == "ramda":
            same = np.array_equal(early.stats["supp_hat"][-1], full.stats["supp_hat"][-1])
            parts.append(predicate(same, float(same), 1.0, 0.0 if same else -1.0,
                                   note="RAMDA: same support"))
    out = combine(parts)
    out.details.update(det)
    return out


@lru_cache(maxsize=None)
def nuclear_instance(quick):
    """Matrix regression y_i = <A_i, W_true> + noise with rank(W_true) = 2, and a FISTA
    reference for lam ||W||_* to dist(0, dF) <= 1e-10."""
    m, k, N = (6, 5, 600) if quick else (10, 8, 3000)
    rng = np.random.default_rng(BASE_SEED + 21)
    Wt = rng.standard_normal((m, 2)) @ rng.standard_normal((2, k))
    X = rng.standard_normal((N, m * k))
    y = X @ Wt.ravel() + 0.5 * rng.standard_normal(N)
    lam = 0.3
    pen = NuclearNorm(lam, (m, k))
    Lf = np.linalg.norm(X, 2) ** 2 / N
    w = z = np.zeros(m * k)
    tk = 1.0
    for _ in range(20000):
        w_new = pen.prox(z - X.T @ (X @ z - y) / N / Lf, 1 / Lf)
        tn = (1 + np.sqrt(1 + 4 * tk * tk)) / 2
        z = w_new + (tk - 1) / tn * (w_new - w)
        w, tk = w_new, tn
        if pen.subdiff_distance(w, X.T @ (X @ w - y) / N) <= 1e-10:
            break
    grad = X.T @ (X @ w - y) / N
    dist = pen.subdiff_distance(w, grad)
    r = pen.rank(w)
    sv = np.linalg.svd(w.reshape(m, k), compute_uv=False)
    gsv = np.linalg.svd(grad.reshape(m, k), compute_uv=False)
    return {"X": X, "y": y, "pen": pen, "W": w, "rank": r, "dist": dist,
            "margin": {"sigma_r": float(sv[r - 1]), "lam_minus_sigma_normal": float(
                lam - gsv[r]), "dist": dist, "rank": r}}


@claim("RAMDA-C21", "ramda", "paper",
       "Theorem 3 with the nuclear norm (App. E)/C21: the rank of What_t (singular values below "
       "1e-12 sigma_max count as 0) equals rank(W*) at every step of the last 50% of a RAMDA and "
       "an RMDA run (matrix least squares; PG with one global step 1/max P)",
       broken=("score_W",))
def c21(quick=True, broken=None):
    inst = nuclear_instance(quick)
    T = 3000 if quick else 20000
    parts = [upper(inst["dist"], 1e-10, note="reference stationarity"),
             lower(inst["margin"]["lam_minus_sigma_normal"], 0.0, note="nondegenerate")]
    det = dict(inst["margin"])
    for m, eta in (("ramda", 1e-2), ("rmda", 0.05)):
        tr = R.run(m, inst["X"], inst["y"], inst["pen"], T, loss="least_squares", batch=32,
                   eta=eta, c=0.1, seed=stats.derive_seeds(BASE_SEED, 8)[7])
        ranks = tr.stats["nnz_W" if broken else "nnz_hat"][T // 2:]
        det[f"{m}_rank_tail"] = [int(ranks.min()), int(ranks.max())]
        bad = int(np.sum(ranks != inst["rank"]))
        parts.append(predicate(bad == 0, bad, 0, -bad, note=f"{m}: rank stable at r*"))
    out = combine(parts, note=f"r* = {inst['rank']}")
    out.details.update(det)
    return out


def _repeat_first(idx):
    """Broken minibatches: one sample repeated b times, so the noise does not shrink with b."""
    if isinstance(idx, list):
        return [np.repeat(r[:1], r.size) for r in idx]
    return np.repeat(idx[:, :1], idx.shape[1], axis=1)


@claim("RAMDA-C22", "ramda", "paper",
       "Theorem 4/C22 (CLAIMS amendment): the plateau of ProxGen's dist(0, dF(W_t))^2 (mean over "
       "the second half of the run, median over seeds) decreases monotonically in the batch "
       "size b in {8, 32, 128, 512}; the log-log slope is reported (paper's reference -1, "
       "informational). Growing batches b_t = t (spec C22, second half): the means of "
       "dist^2 over the blocks (T/16, T/8], ..., (T/2, T] (median over seeds) keep decreasing, "
       "with log-log slope <= -1 [empirical reading, not a theorem: with b_t = t the noise "
       "term 16 sigma^2/b_t of the proof's per-step bound (34)/(40) falls like 1/t and the "
       "other terms have a bounded sum over t, so there is no plateau; a noise floor gives a "
       "slope near 0]",
       broken=("repeated_sample",))
def c22(quick=True, broken=None):
    inst = group_instance(True)
    X, y, pen = inst["X"], inst["y"], inst["pen"]
    T = 600 if quick else 5000
    bs = np.array([8, 32, 128, 512])
    seeds = stats.derive_seeds(BASE_SEED + 22, 3 if quick else 10)
    plateau = np.empty((len(seeds), bs.size))
    for i, sd in enumerate(seeds):
        for j, b in enumerate(bs):
            idx = R.draw_batches(X.shape[0], T, int(b), int(sd))
            tr = R.run("proxgen", X, y, pen, T, batches=_repeat_first(idx) if broken else idx,
                       eta=1e-2, stat_every=5)
            d2 = tr.stats["dist_W"] ** 2
            plateau[i, j] = d2[tr.steps > T // 2].mean()
    med = np.median(plateau, axis=0)
    slope = float(stats.loglog_slope(bs, med).slope)
    fixed = upper(np.diff(med), 0.0, note=f"plateau decreasing in b; log-log slope {slope:.2f} "
                  "(paper's reference -1, informational)")
    # growing batches b_t = t
    Tg = 400 if quick else 1500
    edges = Tg // np.array([16, 8, 4, 2, 1])
    blocks = np.empty((len(seeds), edges.size - 1))
    for i, sd in enumerate(stats.derive_seeds(BASE_SEED + 122, len(seeds))):
        idx = R.draw_batches(X.shape[0], Tg, np.arange(1, Tg + 1), int(sd))
        tr = R.run("proxgen", X, y, pen, Tg, batches=_repeat_first(idx) if broken else idx,
                   eta=1e-2, stat_every=max(1, Tg // 200))
        d2 = tr.stats["dist_W"] ** 2
        blocks[i] = [d2[(tr.steps > a) & (tr.steps <= b)].mean()
                     for a, b in zip(edges[:-1], edges[1:])]
    bmed = np.median(blocks, axis=0)
    centers = np.sqrt(edges[:-1] * edges[1:].astype(float))
    gslope = float(stats.loglog_slope(centers, bmed).slope)
    out = combine([fixed,
                   upper(np.diff(bmed), 0.0, note="b_t = t: block means decreasing"),
                   upper(gslope, -1.0, note=f"b_t = t: block log-log slope {gslope:.2f} <= -1")])
    out.details.update({"plateau_median": med.tolist(), "slope": slope,
                        "growing_block_median": bmed.tolist(), "growing_slope": gslope,
                        "growing_T": int(Tg)})
    return out


@lru_cache(maxsize=None)
def lasso_instance(quick):
    N, d, k = (600, 30, 4) if quick else (4000, 100, 10)
    rng = np.random.default_rng(BASE_SEED + 23)
    X = rng.standard_normal((N, d))
    w = np.zeros(d)
    w[:k] = rng.choice([-1.0, 1.0], k) * (1 + rng.random(k))
    y = X @ w + rng.standard_normal(N)
    lam = 0.2
    ref = oracles.lasso(X, y, lam)
    return {"X": X, "y": y, "pen": L1(lam), "ref": ref, "S": ref.x != 0,
            "margin": {"m_star": ref.margin, "m_star_over_lam": ref.margin / lam,
                       "polished": ref.polished}}


@claim("RAMDA-C23", "ramda", "paper",
       "Theorem 3 with LASSO (n_g = 1)/C23: on least squares + lam ||w||_1, What_t of RAMDA and "
       "RMDA has exactly the support of the certified, polished coordinate-descent reference "
       "for every step after T0 <= stage length/10 in each stage (as C14); final relative "
       "objective gap <= 1e-3",
       broken=("score_W",))
def c23(quick=True, broken=None):
    inst = lasso_instance(quick)
    T, S = (3000, 3) if quick else (30000, 4)
    pol = bool(inst["ref"].polished)
    parts = [lower(inst["margin"]["m_star_over_lam"], 0.05, note="m* >= 0.05 lam"),
             predicate(pol, float(pol), 1.0, 1.0 if pol else -1.0, note="reference polished")]
    det = dict(inst["margin"])
    for m, eta in (("ramda", 1e-2), ("rmda", 0.05)):
        tr = R.run(m, inst["X"], inst["y"], inst["pen"], T, loss="least_squares", batch=32,
                   eta=eta, c=0.1, stages=S, seed=stats.derive_seeds(BASE_SEED, 9)[8])
        supp = tr.stats["supp_W" if broken else "supp_hat"]
        T0 = per_stage_T0(supp, inst["S"], tr.stats["stage"], S)
        det[f"T0_{m}"] = T0.tolist()
        parts.append(upper(T0, T // S / 10, note=f"{m}: T0 per stage <= L/10"))
        gap = (tr.stats["F"][-1] - inst["ref"].objective) / abs(inst["ref"].objective)
        det[f"gap_{m}"] = float(gap)
        parts.append(upper(gap, 1e-3, note=f"{m}: final relative gap"))
    out = combine(parts)
    out.details.update(det)
    return out
