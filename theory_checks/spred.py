"""spred claims SPRED-1..24 (spec `spred.md` §6 checks 1-24; CLAIMS.md amends SPRED-14).

Provenance: only T1-T4 are the paper's statements (T1/T3/T4 read in the paper, T2 from a
secondary summary); every identity, rate and spectrum below is derived in the spec ([D]) and says
so. Solutions are compared with the certified, polished oracles of :mod:`sketchopt.oracles`.

Broken variants (all genuine mistakes a user makes): ``one_factor_decay`` (weight decay on u
only), ``factor_2_pitfall`` (loss ``mean(r^2)`` with the same weight decay, i.e. check 22's
factor 2), ``decoupled_weight_decay`` (AdamW), plus a few wrong formulas named per claim.
"""

import numpy as np

from sketchopt import oracles, stats
from sketchopt.methods import spred as S
from sketchopt.methods import spred_landscape as LS
from sketchopt.problems import logistic_data, regression_data

from ._framework import claim, combine, equal, lower, predicate, upper

SEED = 20261125
PAPER = "spred"
SUPPORT_TOL = 1e-8     # spec §6 / issue acceptance: max |dw| <= 1e-8, identical supports
MARGIN_MIN = 1e-3      # spec §6: abort (skip, list) instances closer than this to a breakpoint


def _variant(broken):
    return broken if broken in ("one_factor_decay", "factor_2_pitfall",
                                "decoupled_weight_decay") else None


def _ls_value(X, y):
    n = X.shape[0]
    return lambda w: 0.5 * np.sum((y - X @ w) ** 2) / n


def _ls_grad(X, y, w):
    return X.T @ (X @ w - y) / X.shape[0]


def _logistic_grad(X, y, w):
    return -X.T @ (y / (1.0 + np.exp(y * (X @ w)))) / X.shape[0]


def _orthogonal_design(n, d, seed):
    """X with X'X = n I (QR of a Gaussian matrix) and a response with mixed |a_i| vs kappa."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, d)))
    X = np.sqrt(n) * Q
    a = rng.choice([-1.0, 1.0], d) * rng.uniform(0.0, 2.0, d)
    return X, X @ a  # X'y/n = a


def _run_to_oracle(X, y, kappa, loss, broken, seed, T_max, gtol=1e-13):
    """spred GD from an independent init, run until ||grad L_rs||_inf <= gtol, vs the oracle."""
    oracle = (oracles.lasso if loss == "least_squares" else oracles.l1_logistic)(X, y, kappa)
    d = X.shape[1]
    u0, W0 = S.initial_factors(d, 1, "independent", 0.5, seed=seed)
    step = S.suggest_step(X, y, kappa, u0, W0, loss, w_max=np.abs(oracle.x).max())
    tr = S.spred(X, y, kappa, loss=loss, step=step, T=T_max, u0=u0, W0=W0, gtol=gtol,
                 check_every=50, _variant=_variant(broken))
    return oracle, tr


def _compare(oracle, tr, X, y, kappa, loss, label):
    """Support identical, max |dw| <= 1e-8, objective rel. gap <= 1e-12, KKT; margin reported."""
    w = tr.meta["w"]
    obj_fn = oracles.lasso_objective if loss == "least_squares" else oracles.l1_logistic_objective
    obj = obj_fn(X, y, kappa, w)
    same = np.array_equal(tr.meta["support"], oracle.support)
    dw = float(np.abs(w - oracle.x).max())
    det = {"instance_margin": oracle.margin, "polished": oracle.polished, "kappa": kappa,
           "steps": tr.meta["n_steps"], "step": tr.meta["step"], "support": oracle.support,
           "exact_zeros": tr.meta["exact_zeros"], "threshold": tr.meta["threshold"]}
    return combine([
        predicate(same, float(tr.meta["support"].size), float(oracle.support.size),
                  1.0 if same else -1.0, f"{label}: identical supports", det),
        upper(dw, SUPPORT_TOL, f"{label}: max|w - w_oracle|", det),
        upper(abs(obj - oracle.objective), 1e-12 * max(1.0, abs(oracle.objective)),
              f"{label}: objective gap (relative 1e-12)", det)],
        note=f"{label}: margin kappa - max_off|g_i| = {oracle.margin:.3g}")


def _lasso_instance(seed, n=100, d=40, k=5):
    X, y, _, _ = regression_data(n, d, k, rho=0.3, snr=5.0, seed=seed)
    return X, y


# ------------------------------------------------------------------------ identities (1-7)

@claim("SPRED-1", PAPER, "derived",
       "spec §6 check 1 (AM-GM, §1.1): L_rs(u,v) - L_L1(u*v) = (kappa/2)|| |u| - |v| ||^2 >= 0, "
       "zero at balanced points; the kappa/2 <-> kappa matching behind T1",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_1(quick=True, broken=None):
    X, y = _lasso_instance(SEED, 30, 12)
    L = _ls_value(X, y)
    rng = np.random.default_rng(SEED)
    kappa = 0.3
    cu, cv = (1.0, 0.0) if broken == "one_factor_decay" else (1.0, 1.0)
    scale = 2.0 if broken == "factor_2_pitfall" else 1.0  # kappa(||u||^2+||v||^2) read as kappa/2

    def rs(u, v):
        return L(u * v) + scale * 0.5 * kappa * (cu * u @ u + cv * v @ v)
    meas, pred = [], []
    for _ in range(20 if quick else 200):
        u, v = rng.normal(size=12), rng.normal(size=12)
        meas.append(rs(u, v) - LS.l1_objective(L, u * v, kappa))
        pred.append(0.5 * kappa * np.sum((np.abs(u) - np.abs(v)) ** 2))
        b = np.sign(u) * np.abs(v)  # balanced: |b| = |v|
        meas.append(rs(b, v) - LS.l1_objective(L, b * v, kappa))
        pred.append(0.0)
    return equal(meas, pred, note="random and balanced (u, v), d=12")


@claim("SPRED-2", PAPER, "derived",
       "spec §6 check 2 (variational identity §1.1): min_{u*v=w} kappa/2(||u||^2+||v||^2) = "
       "kappa||w||_1 attained at |u|=|v|=sqrt|w|; random factorisations are larger; group form "
       "min_{m_j W_j = V_j} kappa/2(m_j^2+||W_j||^2) = kappa||V_j||",
       broken=("factor_2_pitfall",))
def spred_2(quick=True, broken=None):
    rng = np.random.default_rng(SEED + 2)
    kappa = 0.7
    c = 1.0 if broken == "factor_2_pitfall" else 0.5  # dropping the 1/2 of weight decay
    w = rng.normal(size=50)
    r = np.sqrt(np.abs(w))
    balanced = c * kappa * np.sum(r ** 2 + r ** 2)
    outs = [equal(balanced, kappa * np.sum(np.abs(w)), note="balanced lift value")]
    t = np.exp(rng.normal(size=(200 if quick else 5000, 50)))  # u = t r, v = w / u
    vals = c * kappa * np.sum((t * r) ** 2 + (w / (t * r)) ** 2, axis=1)
    outs.append(lower(vals, kappa * np.sum(np.abs(w)), note="random factorisations >= L1"))
    V = rng.normal(size=(20, 3))
    m = np.sqrt(np.linalg.norm(V, axis=1))
    group = c * kappa * np.sum(m ** 2 + np.sum((V / m[:, None]) ** 2, axis=1))
    outs.append(equal(group, kappa * np.linalg.norm(V, axis=1).sum(), note="group (mask) form"))
    return combine(outs)


@claim("SPRED-3", PAPER, "secondary",
       "spec T2 / §6 check 3 (a summary of the paper states it; proof [D]): at a stationary "
       "point of L_rs reached by GD, max||u|-|v|| <= 1e-10 max|u| and ||grad L_rs|| <= 1e-10",
       broken=("one_factor_decay",))
def spred_3(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 3)
    kappa = 0.1 * oracles.lam_max(X, y)
    _, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, 20000, gtol=1e-12)
    u, W = tr.meta["u"], tr.meta["W"][:, 0]
    gap, _ = LS.imbalance(u, W)
    gnorm = tr.stats["grad_inf"][-1]
    det = {"steps": tr.meta["n_steps"], "kappa": kappa}
    return combine([upper(np.abs(gap).max(), 1e-10 * np.abs(u).max(), "imbalance", det),
                    upper(gnorm, 1e-10, "||grad L_rs||_inf", det)])


def _uv_path(X, y, kappa, broken, T, batch, step=0.05):
    """(u_t, v_t, g_t) for t < T of GD (batch None) or SGD, using the kernel's draws."""
    u0, W0 = S.initial_factors(X.shape[1], 1, seed=SEED + 4)
    us, vs, gs = [u0], [W0[:, 0]], []
    tr = S.spred(X, y, kappa, optimizer="sgd", step=step, T=T, batch_size=batch, u0=u0, W0=W0,
                 seed=SEED + 4, _variant=_variant(broken))
    batches = tr.meta["batches"]
    for t in range(T):  # one-step kernel calls: the kernel's own arithmetic, step by step
        rows = batches[t] if batches.shape[0] else slice(None)
        gs.append(_ls_grad(X[rows], y[rows], us[-1] * vs[-1]))
        one = S.spred(X, y, kappa, optimizer="sgd", step=step, T=1, u0=us[-1], W0=vs[-1],
                      batch_size=None, _variant=_variant(broken)) if batch is None else None
        if one is None:  # SGD: replay with the same rows through the kernel on the sub-design
            one = S.spred(X[rows], y[rows], kappa, step=step, T=1, u0=us[-1], W0=vs[-1],
                          _variant=_variant(broken))
        us.append(one.meta["u"])
        vs.append(one.meta["W"][:, 0])
    assert np.allclose(us[-1] * vs[-1], tr.meta["w"], rtol=1e-12, atol=1e-15)
    return np.array(us), np.array(vs), np.array(gs)


@claim("SPRED-4", PAPER, "derived",
       "spec D3 / §6 check 4: one GD or SGD step multiplies D_i = u_i^2 - v_i^2 by exactly "
       "(1 - eta kappa)^2 - eta^2 g_i^2 (g the step's own, possibly stochastic, gradient)",
       broken=("one_factor_decay",))
def spred_4(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 4, 60, 10)
    kappa, eta, outs = 0.2, 0.05, []
    for batch in (None, 8):
        us, vs, gs = _uv_path(X, y, kappa, broken, 5, batch, eta)
        D = us ** 2 - vs ** 2
        pred = LS.imbalance_factor(gs, eta, kappa) * D[:-1]
        outs.append(equal(D[1:], pred, note="GD" if batch is None else "SGD, B=8"))
    return combine(outs)


@claim("SPRED-5", PAPER, "derived",
       "spec D3 / §6 check 5: under GD with small eta the imbalance follows gradient flow, "
       "D(T) = D(0) exp(-2 kappa T); |log(D_T/D_0) + 2 kappa T| <= 1.1 eta T (kappa^2 + max g^2) "
       "(the O(eta) term of the exact per-step law)",
       broken=("one_factor_decay",))
def spred_5(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 5, 50, 10)
    kappa, eta, horizon = 0.5, 1e-4, 2.0
    T = int(round(horizon / eta))
    u0, W0 = S.initial_factors(10, 1, seed=SEED + 5)
    tr = S.spred(X, y, kappa, step=eta, T=T, u0=u0, W0=W0, record_every=T // 20, keep_x=True,
                 _variant=_variant(broken))
    D0 = u0 ** 2 - W0[:, 0] ** 2
    DT = tr.meta["u"] ** 2 - tr.meta["W"][:, 0] ** 2
    gmax = max(np.abs(_ls_grad(X, y, w)).max() for w in tr.x)
    err = np.abs(np.log(np.abs(DT / D0)) + 2 * kappa * horizon)
    return upper(err, 1.1 * eta * horizon * (kappa ** 2 + gmax ** 2),
                 note=f"eta={eta:g}, T={T} steps (t={horizon:g})", details={"g_max": gmax})


@claim("SPRED-6", PAPER, "derived",
       "spec D4 / §6 check 6: one GD/SGD step maps p = u+v to (1 - eta kappa - eta g) p and "
       "q = u-v to (1 - eta kappa + eta g) q exactly",
       broken=("one_factor_decay",))
def spred_6(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 6, 60, 10)
    kappa, eta, outs = 0.2, 0.05, []
    for batch in (None, 8):
        us, vs, gs = _uv_path(X, y, kappa, broken, 5, batch, eta)
        fp, fq = LS.mode_factors(gs, eta, kappa)
        outs.append(equal((us + vs)[1:], fp * (us + vs)[:-1], note="p mode"))
        outs.append(equal((us - vs)[1:], fq * (us - vs)[:-1], note="q mode"))
    return combine(outs)


@claim("SPRED-7", PAPER, "derived",
       "spec §1.2 / §6 check 7: GD(eta) on (u,v) equals GD(eta/2) on the difference-of-squares "
       "lift L(y^2 - z^2) + kappa(||y||^2+||z||^2) with y=(u+v)/2, z=(u-v)/2 (trajectories)",
       broken=("full_step_lift",))
def spred_7(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 7, 40, 8)
    kappa, eta, T = 0.2, 0.05, 30
    u0, W0 = S.initial_factors(8, 1, seed=SEED + 7)
    tr = S.spred(X, y, kappa, step=eta, T=T, u0=u0, W0=W0, record_every=1, keep_x=True)
    a, b = (u0 + W0[:, 0]) / 2, (u0 - W0[:, 0]) / 2
    lift_step = eta if broken == "full_step_lift" else eta / 2
    ws = [a * a - b * b]
    for _ in range(T):
        g = _ls_grad(X, y, a * a - b * b)
        a, b = a - lift_step * (2 * a * g + 2 * kappa * a), b - lift_step * (-2 * b * g + 2 * kappa * b)
        ws.append(a * a - b * b)
    return equal(tr.x, np.array(ws), note=f"{T} steps, w = u*v vs y^2 - z^2")


# ---------------------------------------------------------------------- 1-D closed forms

@claim("SPRED-8", PAPER, "derived",
       "spec §5.1 / §6 check 8: for a in {+-2, 0.5, 1}, kappa = 1, the stationary points of "
       "(uv-a)^2/2 + (u^2+v^2)/2 are the origin (Hessian eigenvalues kappa -+ |a|) and, iff "
       "|a| > kappa, (+-s, +-sign(a)s), s = sqrt(|a|-kappa), with uv = S_kappa(a), value "
       "kappa|a| - kappa^2/2 and eigenvalues {2 kappa, 2(|a|-kappa)}",
       broken=("factor_2_pitfall",))
def spred_8(quick=True, broken=None):
    kappa, outs = 1.0, []
    for a in (2.0, -2.0, 0.5, 1.0):
        origin, nz = LS.one_d_hessian_eigs(a, kappa)
        outs.append(equal(np.linalg.eigvalsh(LS.one_d_hessian(0.0, 0.0, a, kappa)), origin,
                          note=f"a={a:g}: origin"))
        if nz is None:
            continue
        # the pitfall solves (uv - a)^2 + kappa/2(...) i.e. thresholds at kappa/2
        s = np.sqrt(abs(a) - (kappa / 2 if broken == "factor_2_pitfall" else kappa))
        u, v = s, np.sign(a) * s
        grad = [(u * v - a) * v + kappa * u, (u * v - a) * u + kappa * v]
        value = (u * v - a) ** 2 / 2 + kappa / 2 * (u * u + v * v)
        outs += [equal(grad, [0.0, 0.0], note=f"a={a:g}: gradient at the minimiser"),
                 equal(u * v, LS.one_d_solution(a, kappa), note=f"a={a:g}: uv = S_kappa(a)"),
                 equal(value, LS.one_d_min_value(a, kappa), note=f"a={a:g}: value"),
                 equal(np.linalg.eigvalsh(LS.one_d_hessian(u, v, a, kappa)), nz,
                       note=f"a={a:g}: Hessian eigenvalues")]
    return combine(outs)


def _one_d_gd(a, kappa, w0, eta, T, broken, record_every=1):
    """Balanced 1-D spred run through the kernel: X = [[1]], y = [a]."""
    s = np.sqrt(w0)
    return S.spred(np.ones((1, 1)), np.array([a]), kappa, step=eta, T=T, u0=np.array([s]),
                   W0=np.array([np.sign(a) * s]), record_every=record_every, keep_x=True,
                   _variant=_variant(broken))


@claim("SPRED-9", PAPER, "derived",
       "spec §5.1 / §6 check 9: balanced 1-D GD with eta = 1e-4 follows the closed-form flows "
       "w(t) = c w0 e^{2ct}/(c + w0(e^{2ct}-1)), c = |a|-kappa, and 1/(1/w0 + 2t) at |a| = kappa, "
       "to relative 1e-3 (Euler error O(eta))",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_9(quick=True, broken=None):
    eta, horizon, outs = 1e-4, 2.0, []
    T = int(round(horizon / eta))
    for a, kappa, w0 in ((2.0, 1.0, 0.05), (-3.0, 1.0, 0.4), (1.0, 1.0, 0.5), (0.5, 1.0, 0.3)):
        tr = _one_d_gd(a, kappa, w0, eta, T, broken, record_every=T // 10)
        t = tr.steps * eta
        pred = LS.balanced_flow(w0, a, kappa, t)
        outs.append(upper(np.abs(np.abs(tr.x[:, 0]) - pred) / pred, 1e-3,
                          note=f"a={a:g}, kappa={kappa:g}"))
    return combine(outs)


@claim("SPRED-10", PAPER, "derived",
       "spec §6 check 10 / D4: near the solution each zero coordinate of GD decays per step by "
       "(1 - eta(kappa - |g_i|))^2 (g at the oracle solution), relative 1e-6; coordinates whose "
       "two modes are not yet separated (exact D4 contamination > 1e-7) are listed, not checked",
       broken=("factor_2_pitfall",))
def spred_10(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 10)
    kappa = 0.2 * oracles.lam_max(X, y)
    oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, 30000, gtol=1e-11)
    eta = tr.meta["step"]
    g = _ls_grad(X, y, oracle.x)
    tail = S.spred(X, y, kappa, step=eta, T=3, u0=tr.meta["u"], W0=tr.meta["W"],
                   record_every=1, keep_x=True, _variant=_variant(broken))
    off = np.setdiff1d(np.arange(X.shape[1]), oracle.support)
    u, v = tr.meta["u"][off], tr.meta["W"][off, 0]
    a, b = LS.mode_factors(g[off], eta, kappa)
    p2, q2 = (u + v) ** 2, (u - v) ** 2
    slow2, fast2 = np.maximum(a, b) ** 2, np.minimum(a, b) ** 2
    contamination = np.abs(slow2 - fast2) / slow2 * np.minimum(p2, q2) / np.maximum(p2, q2)
    ok = contamination <= 1e-7
    ratio = np.abs(tail.x[-1, off] / tail.x[-2, off])
    pred = (1.0 - eta * (kappa - np.abs(g[off]))) ** 2
    det = {"checked": int(ok.sum()), "not_separated": off[~ok], "eta": eta,
           "instance_margin": oracle.margin}
    if ok.sum() < max(1, off.size // 2):
        return predicate(False, ok.sum(), off.size // 2, -1.0, "too few separated coordinates", det)
    return upper(np.abs(ratio[ok] - pred[ok]) / pred[ok], 1e-6,
                 note=f"{ok.sum()}/{off.size} zero coordinates", details=det)


# ----------------------------------------------------------------- solutions vs the oracles

@claim("SPRED-11", PAPER, "derived",
       "spec §5.2 / §6 check 11: on an orthogonal design (X'X = nI) spred GD returns the soft "
       "threshold S_kappa(X'y/n) to max error 1e-10",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_11(quick=True, broken=None):
    n, d, kappa = 60, 20, 0.5
    X, y = _orthogonal_design(n, d, SEED + 11)
    a = X.T @ y / n
    a = a[np.abs(np.abs(a) - kappa) > 0.05]  # keep off the breakpoint |a_i| = kappa
    X = X[:, np.abs(np.abs(X.T @ y / n) - kappa) > 0.05]
    u0, W0 = S.initial_factors(X.shape[1], 1, seed=SEED)
    tr = S.spred(X, y, kappa, step=0.1, T=20000, u0=u0, W0=W0, gtol=1e-13, check_every=50,
                 _variant=_variant(broken))
    return upper(np.abs(tr.meta["w"] - LS.one_d_solution(a, kappa)).max(), 1e-10,
                 note=f"d={a.size}, GD step 0.1", details={"steps": tr.meta["n_steps"]})


@claim("SPRED-12", PAPER, "derived",
       "spec T1/C1, §6 check 12: spred GD on random lassos (n=100, d=40, 5-sparse) matches the "
       "certified polished oracle: identical supports, max|dw| <= 1e-8, objective gap <= 1e-12 "
       "relative; instance margin kappa - max_off|g_i| reported (instances < 1e-3 skipped)",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_12(quick=True, broken=None):
    outs, skipped = [], []
    fracs = (0.3, 0.1) if quick else (0.5, 0.3, 0.1, 0.05)
    for k, frac in enumerate(fracs):
        X, y = _lasso_instance(SEED + 12 + k)
        kappa = frac * oracles.lam_max(X, y)
        oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED + k, 40000)
        if oracle.margin < MARGIN_MIN:
            skipped.append((frac, oracle.margin))
            continue
        outs.append(_compare(oracle, tr, X, y, kappa, "least_squares", f"kappa={frac:g}kmax"))
    out = combine(outs)
    out.details["skipped_near_breakpoint"] = skipped
    return out


@claim("SPRED-13", PAPER, "derived",
       "spec §6 check 13: spred's output w is a fixed point of the lasso prox-gradient map, "
       "||w - S_{eta kappa}(w - eta grad L(w))||_inf <= 1e-10 for eta in {0.01, 0.1, 1, 10}",
       broken=("factor_2_pitfall",))
def spred_13(quick=True, broken=None):
    from sketchopt.penalties import L1
    X, y = _lasso_instance(SEED + 13)
    kappa = 0.15 * oracles.lam_max(X, y)
    _, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, 40000)
    w, pen = tr.meta["w"], L1(kappa)
    res = [np.abs(w - pen.prox(w - eta * _ls_grad(X, y, w), eta)).max()
           for eta in (0.01, 0.1, 1.0, 10.0)]
    return upper(res, 1e-10, note="prox residual per eta")


@claim("SPRED-14", PAPER, "derived",
       "spec §6 check 14 (CLAIMS.md amendment): lasso path over a grid down from kappa_max: at "
       "every grid point with off-support margin and min|w_S|/max|w_S| >= 1e-3 spred matches "
       "the oracle (identical supports/nnz, max|dw| <= 1e-8); skipped points are listed",
       broken=("factor_2_pitfall",))
def spred_14(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 14, 80, 30)
    kmax = oracles.lam_max(X, y)
    grid = np.geomspace(0.9, 0.05, 4 if quick else 12) * kmax
    outs, skipped = [], []
    for i, kappa in enumerate(grid):
        oracle = oracles.lasso(X, y, kappa)
        ws = np.abs(oracle.x[oracle.support])
        ratio = ws.min() / ws.max() if ws.size else 1.0
        if oracle.margin < MARGIN_MIN or ratio < MARGIN_MIN:
            skipped.append({"kappa": kappa, "margin": oracle.margin, "ratio": ratio})
            continue
        oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED + i, 60000)
        outs.append(_compare(oracle, tr, X, y, kappa, "least_squares",
                             f"kappa/kmax={kappa / kmax:.3g}"))
    out = combine(outs)
    out.details.update(skipped=skipped, checked=len(outs))
    return out


@claim("SPRED-15", PAPER, "derived",
       "spec §5.3 / §6 check 15: spred GD on L1-logistic regression matches the certified "
       "polished l1_logistic oracle: identical supports, max|dw| <= 1e-8, objective gap <= "
       "1e-12 relative; margin reported",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_15(quick=True, broken=None):
    X, y, _, _ = logistic_data(150, 20, 4, rho=0.2, amplitude=2.0, seed=SEED + 15)
    kappa = 0.2 * oracles.lam_max(X, y, "l1_logistic")
    oracle, tr = _run_to_oracle(X, y, kappa, "logistic", broken, SEED, 80000)
    return _compare(oracle, tr, X, y, kappa, "logistic", "logistic")


@claim("SPRED-16", PAPER, "derived",
       "spec D2 / §6 check 16: the finite-difference Hessian (h = 1e-6) of L_rs at spred's "
       "minimiser has spectrum {2kappa}^|S| U eig(2 W_S^1/2 H_SS W_S^1/2) U {kappa -+ |g_i|}, "
       "tol 1e-7; its minimum eigenvalue is > 0 (strict complementarity holds)",
       broken=("factor_2_pitfall",))
def spred_16(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 16, 60, 12, 3)
    kappa = 0.2 * oracles.lam_max(X, y)
    oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, 40000)
    u, v = tr.meta["u"], tr.meta["W"][:, 0]
    d, n = X.shape[1], X.shape[0]
    H = X.T @ X / n

    def grad(z):
        g = _ls_grad(X, y, z[:d] * z[d:])
        return np.concatenate([g * z[d:] + kappa * z[:d], g * z[:d] + kappa * z[d:]])
    z, h = np.concatenate([u, v]), 1e-6
    fd = np.array([(grad(z + h * e) - grad(z - h * e)) / (2 * h) for e in np.eye(2 * d)])
    measured = np.linalg.eigvalsh((fd + fd.T) / 2)
    w = u * v
    pred = LS.predicted_spectrum(H, _ls_grad(X, y, w), w, kappa, tr.meta["support"])
    det = {"instance_margin": oracle.margin, "support": tr.meta["support"]}
    return combine([equal(measured, pred, rtol=0.0, atol=1e-7, note="spectrum", details=det),
                    lower(measured.min(), 0.0, note="min eigenvalue > 0", details=det)])


@claim("SPRED-17", PAPER, "derived",
       "spec §1.3 / §6 check 17: spred's input mask V = diag(m) W on multi-output least squares "
       "solves the row-group (multi-task) lasso: vs the certified multitask_lasso oracle, "
       "objective gap <= 1e-10 relative, identical selected features, max|dV| <= 1e-8, and "
       "m_j^2 = ||W_j||^2 (1e-10)",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_17(quick=True, broken=None):
    rng = np.random.default_rng(SEED + 17)
    n, d, k = 80, 15, 3
    X = rng.normal(size=(n, d))
    V_true = np.zeros((d, k))
    V_true[:4] = rng.normal(size=(4, k))
    Y = X @ V_true + 0.3 * rng.normal(size=(n, k))
    kappa = 0.25 * np.linalg.norm(X.T @ Y / n, axis=1).max()
    oracle = oracles.multitask_lasso(X, Y, kappa)
    u0, W0 = S.initial_factors(d, k, seed=SEED)
    step = S.suggest_step(X, Y, kappa, u0, W0, w_max=np.linalg.norm(oracle.x, axis=1).max())
    tr = S.spred(X, Y, kappa, step=step, T=40000, u0=u0, W0=W0, gtol=1e-13, check_every=50,
                 _variant=_variant(broken))
    V = tr.meta["w"]
    obj = oracles.multitask_lasso_objective(X, Y, kappa, V)
    same = np.array_equal(tr.meta["support"], oracle.support)
    m, W = tr.meta["u"], tr.meta["W"]
    det = {"instance_margin": oracle.margin, "steps": tr.meta["n_steps"], "features": oracle.support}
    return combine([
        upper(abs(obj - oracle.objective), 1e-10 * max(1, abs(oracle.objective)), "objective", det),
        predicate(same, tr.meta["support"].size, oracle.support.size, 1.0 if same else -1.0,
                  "identical selected features", det),
        upper(np.abs(V - oracle.x).max(), SUPPORT_TOL, "max|dV|", det),
        equal(m ** 2, np.sum(W ** 2, axis=1), rtol=0.0, atol=1e-10, note="m_j^2 = ||W_j||^2")])
