"""spred claims SPRED-1..24 (spec `spred.md` §6 checks 1-24; CLAIMS.md amends SPRED-14).

Provenance: only T1-T4 are the paper's statements (T1/T3/T4 read in the paper, T2 from a
secondary summary); every identity, rate and spectrum below is derived in the spec ([D]) and says
so. Solutions are compared with the certified, polished oracles of :mod:`sketchopt.oracles`.

Broken variants (all genuine mistakes a user makes): ``one_factor_decay`` (weight decay on u
only), ``factor_2_pitfall`` (a factor 2 between loss and penalty: in the kernel the loss
``mean(r^2)`` with the same weight decay, i.e. the lasso at kappa/2; in the closed-form claims
SPRED-1/2 the penalty doubled and in SPRED-8 the threshold halved; in SPRED-22 reading
``mean(r^2)`` + decay lambda as the lasso at lambda), ``decoupled_weight_decay`` (AdamW),
``linear_in_eta`` (SPRED-20: the spec's "error ~ eta" instead of the derived eta^(1/2)), plus a
few wrong formulas named per claim.

Every comparison with an oracle requires a polished oracle and an instance at least MARGIN_MIN
from a breakpoint (spec §6: multi-instance claims skip and list such instances, single-instance
claims fail with the reason), and GD runs get the spec's run-length budget and must stop on
their gradient tolerance before it.
"""

import numpy as np
from scipy.linalg import solve_discrete_lyapunov
from scipy.special import expit

from sketchopt import oracles, stats
from sketchopt.methods import spred as S
from sketchopt.methods import spred_landscape as LS
from sketchopt.oracles.duality import penalty_structure
from sketchopt.problems import logistic_data, regression_data

from ._framework import claim, combine, equal, from_mc, lower, predicate, upper
from ._trajectory import trajectory

SEED = 20261125
PAPER = "spred"
SUPPORT_TOL = 1e-8     # spec §6 / issue acceptance: max |dw| <= 1e-8, identical supports
MARGIN_MIN = 1e-3      # spec §6: abort (skip, list) instances closer than this to a breakpoint
ADAM_T, ADAM_GTOL = 20000, 1e-12   # SPRED-12's empirical Adam part: step budget, stopping rule


def _variant(broken):
    return broken if broken in ("one_factor_decay", "factor_2_pitfall",
                                "decoupled_weight_decay") else None


def _ls_value(X, y):
    n = X.shape[0]
    return lambda w: 0.5 * np.sum((y - X @ w) ** 2) / n


def _ls_grad(X, y, w):
    return X.T @ (X @ w - y) / X.shape[0]


def _orthogonal_design(n, d, seed):
    """X with X'X = n I (QR of a Gaussian matrix) and a response with mixed |a_i| vs kappa."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, d)))
    X = np.sqrt(n) * Q
    a = rng.choice([-1.0, 1.0], d) * rng.uniform(0.0, 2.0, d)
    return X, X @ a  # X'y/n = a


def _loss_grad(X, y, w, loss):
    """Gradient of the data loss (least squares or mean logistic) at ``w``."""
    if loss == "least_squares":
        return _ls_grad(X, y, w)
    return -X.T @ (y * expit(-y * (X @ w))) / X.shape[0]


def _loss_hessian(X, y, w, loss):
    """Hessian of the data loss at ``w``."""
    if loss == "least_squares":
        return X.T @ X / X.shape[0]
    s = expit(y * (X @ w))
    return (X.T * (s * (1.0 - s))) @ X / X.shape[0]


def _run_length(step, w_star, support, margin, H, loss_scale=1.0, e_folds=40.0):
    """Spec §6 check 12's budget ``T = e_folds / (eta min(margin, lambda_min(2 W_S^1/2 H_SS
    W_S^1/2)))``: the slowest local GD rates of D7 (zero coordinates, product directions);
    ``loss_scale`` multiplies both (it scales the data loss of L_rs)."""
    S_ = np.asarray(support, dtype=int)
    r = np.sqrt(np.abs(w_star[S_]))
    lam = (np.linalg.eigvalsh(2 * r[:, None] * H[np.ix_(S_, S_)] * r[None, :]).min()
           if S_.size else np.inf)
    rate = loss_scale * min(margin, lam)
    if not 0.0 < rate < np.inf:
        raise ValueError(f"run-length rule needs a positive finite rate, got {rate}")
    return int(np.ceil(e_folds / (step * rate)))


def _run_to_oracle(X, y, kappa, loss, broken, seed, gtol=1e-13, oracle=None, loss_scale=1.0,
                   w_max=None, T_cap=None):
    """spred GD from an independent init, run until ||grad L_rs||_inf <= gtol, vs the oracle.

    The step budget ``tr.meta["T_max"]`` is the spec's run-length rule at the oracle solution
    (:func:`_run_length`); :func:`_compare` requires that the gtol stop came first. A budget
    above ``T_cap`` (if given) raises ValueError before the run.
    """
    if oracle is None:
        oracle = (oracles.lasso if loss == "least_squares" else oracles.l1_logistic)(X, y, kappa)
    d = X.shape[1]
    u0, W0 = S.initial_factors(d, 1, "independent", 0.5, seed=seed)
    w_max = np.abs(oracle.x).max() if w_max is None else w_max
    step = S.suggest_step(X, y, kappa, u0, W0, loss, w_max=w_max, loss_scale=loss_scale)
    T_max = _run_length(step, oracle.x, oracle.support, oracle.margin,
                        _loss_hessian(X, y, oracle.x, loss), loss_scale)
    if T_cap is not None and T_max > T_cap:
        raise ValueError(f"run-length budget {T_max} above the cap {T_cap}")
    tr = S.spred(X, y, kappa, loss=loss, step=step, T=T_max, u0=u0, W0=W0, gtol=gtol,
                 check_every=50, loss_scale=loss_scale, _variant=_variant(broken))
    tr.meta["T_max"] = T_max
    return oracle, tr


def _stopped(tr, label):
    """The run ended on its gtol stop, not on its step budget ``tr.meta["T_max"]``."""
    n, T = tr.meta["n_steps"], tr.meta["T_max"]
    return predicate(n < T, n, T, (T - n) / T,
                     f"{label}: gtol stop reached before the run-length budget")


def _margin_ok(oracle, label):
    """Spec §6: an instance closer than MARGIN_MIN to a breakpoint is not compared (here: the
    claim fails and says why; multi-instance claims skip and list it instead)."""
    return lower(oracle.margin, MARGIN_MIN,
                 note=f"{label}: instance margin kappa - max_off|g_i| >= {MARGIN_MIN:g}")


def _polished(oracle, label):
    """CLAIMS.md: coordinate comparisons at 1e-8 need the polished oracle solution."""
    return predicate(oracle.polished, float(oracle.polished), 1.0,
                     1.0 if oracle.polished else -1.0, f"{label}: oracle polished")


def agreement(oracle, tr, X, y, kappa, loss):
    """The quantities behind spec §6 check 12's tolerances (see :func:`_compare`): spred's
    support against the oracle's (``same``), ``dw = max|w - w_oracle|``, the objective gap
    ``obj_gap`` and its tolerance ``obj_tol = 1e-12 max(1, |F*|)``, the KKT ``violation =
    max_S |g_i + kappa sign w_i|`` and ``off_margin = kappa - max_off |g_i|``, and ``det``."""
    w = tr.meta["w"]
    support = tr.meta["support"]
    obj_fn = oracles.lasso_objective if loss == "least_squares" else oracles.l1_logistic_objective
    obj = obj_fn(X, y, kappa, w)
    same = np.array_equal(support, oracle.support)
    dw = float(np.abs(w - oracle.x).max())
    w_S = np.zeros_like(w)
    w_S[support] = w[support]
    g = _loss_grad(X, y, w, loss)
    # violation = max_S |g_i + kappa sign w_i| once the off-support margin is >= 0
    violation, off_margin = oracles.kkt_measures(
        g, w_S, *penalty_structure(kappa, None, None, w.size))
    det = {"instance_margin": oracle.margin, "polished": oracle.polished, "kappa": kappa,
           "steps": tr.meta["n_steps"], "T_max": tr.meta["T_max"], "step": tr.meta["step"],
           "support": oracle.support, "exact_zeros": tr.meta["exact_zeros"],
           "threshold": tr.meta["threshold"], "kkt_off_margin": off_margin}
    return {"same": same, "n_spred": float(support.size), "n_oracle": float(oracle.support.size),
            "dw": dw, "obj_gap": abs(obj - oracle.objective),
            "obj_tol": 1e-12 * max(1.0, abs(oracle.objective)), "violation": violation,
            "off_margin": off_margin, "det": det}


def _compare(oracle, tr, X, y, kappa, loss, label):
    """Spec §6 check 12's tolerances: polished oracle, gtol stop before the run-length budget,
    identical supports, max|dw| <= 1e-8, objective gap <= 1e-12 relative, and the KKT
    conditions at spred's own w, max_{i in S}|g_i + kappa sign w_i| <= 1e-10 and
    max_{i not in S}|g_i| <= kappa (S = spred's support, g = grad L(w))."""
    a = agreement(oracle, tr, X, y, kappa, loss)
    det, same = a["det"], a["same"]
    return combine([
        _polished(oracle, label),
        _stopped(tr, label),
        predicate(same, a["n_spred"], a["n_oracle"],
                  1.0 if same else -1.0, f"{label}: identical supports", det),
        upper(a["dw"], SUPPORT_TOL, f"{label}: max|w - w_oracle|", det),
        upper(a["obj_gap"], a["obj_tol"], f"{label}: objective gap (relative 1e-12)", det),
        upper(a["violation"], 1e-10, f"{label}: KKT max_S |g_i + kappa sign w_i|", det),
        lower(a["off_margin"], 0.0, f"{label}: KKT max_off |g_i| <= kappa", det)],
        note=f"{label}: margin kappa - max_off|g_i| = {oracle.margin:.3g}")


def _lasso_instance(seed, n=100, d=40, k=5, rho=0.3, snr=5.0):
    X, y, _, _ = regression_data(n, d, k, rho=rho, snr=snr, seed=seed)
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


def factorisation_values(w, t, kappa, c=0.5):
    """SPRED-2: ``c kappa (||u||^2 + ||v||^2)`` of the factorisations ``u = t sqrt|w|``,
    ``v = w / u`` (rows of ``t``) and the bound ``kappa ||w||_1`` (``c = 1/2`` is weight
    decay's; ``c = 1`` the factor-2 pitfall)."""
    r = np.sqrt(np.abs(w))
    return (c * kappa * np.sum((t * r) ** 2 + (w / (t * r)) ** 2, axis=-1),
            kappa * np.sum(np.abs(w)))


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
    outs.append(lower(*factorisation_values(w, t, kappa, c), note="random factorisations >= L1"))
    V = rng.normal(size=(20, 3))
    m = np.sqrt(np.linalg.norm(V, axis=1))
    group = c * kappa * np.sum(m ** 2 + np.sum((V / m[:, None]) ** 2, axis=1))
    outs.append(equal(group, kappa * np.linalg.norm(V, axis=1).sum(), note="group (mask) form"))
    return combine(outs)


def stationary_balance(tr, X, y, kappa):
    """SPRED-3 at the end of a GD run: ``max ||u_i| - |v_i||``, its bound ``1e-10 max|u|`` and
    ``||grad L_rs||_2``."""
    u, W = tr.meta["u"], tr.meta["W"][:, 0]
    gap, _ = LS.imbalance(u, W)
    g = _ls_grad(X, y, u * W)
    gnorm = np.linalg.norm(np.concatenate([g * W + kappa * u, g * u + kappa * W]))
    return np.abs(gap).max(), 1e-10 * np.abs(u).max(), gnorm


@claim("SPRED-3", PAPER, "secondary",
       "spec T2 / §6 check 3 (a summary of the paper states it; proof [D]): at a stationary "
       "point of L_rs reached by GD, max||u|-|v|| <= 1e-10 max|u| and ||grad L_rs|| <= 1e-10",
       broken=("one_factor_decay",))
def spred_3(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 3)
    kappa = 0.1 * oracles.lam_max(X, y)
    _, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, gtol=1e-12)
    gap, gap_bound, gnorm = stationary_balance(tr, X, y, kappa)
    det = {"steps": tr.meta["n_steps"], "kappa": kappa, "grad_inf": tr.stats["grad_inf"][-1]}
    return combine([upper(gap, gap_bound, "imbalance", det),
                    upper(gnorm, 1e-10, "||grad L_rs||_2", det)])


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


def imbalance_decay(X, y, kappa, eta, horizon, u0, W0, broken=None):
    """SPRED-5: GD run to ``t = horizon`` (``T = horizon/eta`` steps, 21 records) from ``(u0,
    W0)``; returns ``|log(D_T/D_0) + 2 kappa t|`` per coordinate, the bound ``1.1 eta t
    (kappa^2 + max g^2)`` (max over the recorded iterates) and that max."""
    T = int(round(horizon / eta))
    tr = S.spred(X, y, kappa, step=eta, T=T, u0=u0, W0=W0, record_every=max(T // 20, 1),
                 keep_x=True, _variant=_variant(broken))
    D0 = u0 ** 2 - W0[:, 0] ** 2
    DT = tr.meta["u"] ** 2 - tr.meta["W"][:, 0] ** 2
    gmax = max(np.abs(_ls_grad(X, y, w)).max() for w in tr.x)
    err = np.abs(np.log(np.abs(DT / D0)) + 2 * kappa * horizon)
    return err, 1.1 * eta * horizon * (kappa ** 2 + gmax ** 2), gmax


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
    err, bound, gmax = imbalance_decay(X, y, kappa, eta, horizon, u0, W0, broken)
    return upper(err, bound, note=f"eta={eta:g}, T={T} steps (t={horizon:g})",
                 details={"g_max": gmax})


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
        a, b = (a - lift_step * (2 * a * g + 2 * kappa * a),
                b - lift_step * (-2 * b * g + 2 * kappa * b))
        ws.append(a * a - b * b)
    return equal(tr.x, np.array(ws), note=f"{T} steps, w = u*v vs y^2 - z^2")


# ---------------------------------------------------------------------- 1-D closed forms

@claim("SPRED-8", PAPER, "derived",
       "spec §5.1 / §6 check 8: for a in {+-2, 0.5, 1}, kappa = 1, the listed stationary "
       "points of (uv-a)^2/2 + (u^2+v^2)/2 are stationary with the predicted values: the "
       "origin (Hessian eigenvalues kappa -+ |a|) and, iff |a| > kappa, (+-s, +-sign(a)s), "
       "s = sqrt(|a|-kappa), with uv = S_kappa(a), value kappa|a| - kappa^2/2 and eigenvalues "
       "{2 kappa, 2(|a|-kappa)} (that no others exist follows from T2, not checked here)",
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


FLOW_CASES = ((2.0, 1.0, 0.05), (-3.0, 1.0, 0.4), (1.0, 1.0, 0.5), (0.5, 1.0, 0.3))


def _one_d_gd(a, kappa, w0, eta, T, broken, record_every=1):
    """Balanced 1-D spred run through the kernel: X = [[1]], y = [a]."""
    s = np.sqrt(w0)
    return S.spred(np.ones((1, 1)), np.array([a]), kappa, step=eta, T=T, u0=np.array([s]),
                   W0=np.array([np.sign(a) * s]), record_every=record_every, keep_x=True,
                   _variant=_variant(broken))


def flow_deviation(a, kappa, w0, eta, horizon, broken=None):
    """SPRED-9: relative deviation ``| |w_t| - w(t) | / w(t)`` of balanced 1-D GD (step eta,
    11 records up to ``horizon``) from the closed-form flow :func:`LS.balanced_flow`."""
    T = int(round(horizon / eta))
    tr = _one_d_gd(a, kappa, w0, eta, T, broken, record_every=T // 10)
    pred = LS.balanced_flow(w0, a, kappa, tr.steps * eta)
    return np.abs(np.abs(tr.x[:, 0]) - pred) / pred


@claim("SPRED-9", PAPER, "derived",
       "spec §5.1 / §6 check 9: balanced 1-D GD with eta = 1e-4 follows the closed-form flows "
       "w(t) = c w0 e^{2ct}/(c + w0(e^{2ct}-1)), c = |a|-kappa, and 1/(1/w0 + 2t) at |a| = kappa, "
       "to relative 1e-3 (Euler error O(eta))",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_9(quick=True, broken=None):
    eta, horizon, outs = 1e-4, 2.0, []
    for a, kappa, w0 in FLOW_CASES:
        outs.append(upper(flow_deviation(a, kappa, w0, eta, horizon, broken), 1e-3,
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
    oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED, gtol=1e-11)
    err, ok, off, det = zero_decay(oracle, tr, X, y, kappa, broken)
    checks = [_polished(oracle, "g at the oracle"), _margin_ok(oracle, "g at the oracle")]
    if ok.sum() < max(1, off.size // 2):
        return combine(checks + [predicate(False, ok.sum(), off.size // 2, -1.0,
                                           "too few separated coordinates", det)])
    return combine(checks + [upper(err[ok], 1e-6, note=f"{ok.sum()}/{off.size} zero coordinates",
                                   details=det)])


def zero_decay(oracle, tr, X, y, kappa, broken=None):
    """SPRED-10 after a GD run near the solution: three more steps; per zero coordinate of the
    oracle the relative error of ``|w^{t+1}/w^t|`` against ``(1 - eta(kappa - |g_i|))^2``, the
    mask of coordinates whose two modes have separated (contamination <= 1e-7), the zero
    coordinates and details."""
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
    # a ratio of values near float64's subnormal range keeps too few digits for 1e-6:
    # coordinates below tiny/eps (~1e-292) are unmeasurable, left out and listed
    last2 = np.minimum(np.abs(tail.x[-1, off]), np.abs(tail.x[-2, off])).ravel()
    measurable = last2 >= np.finfo(np.float64).tiny / np.finfo(np.float64).eps
    ok = (contamination <= 1e-7) & measurable
    ratio = np.abs(tail.x[-1, off] / tail.x[-2, off])
    pred = (1.0 - eta * (kappa - np.abs(g[off]))) ** 2
    det = {"checked": int(ok.sum()), "not_separated": off[contamination > 1e-7],
           "unmeasurable": off[~measurable], "eta": eta,
           "instance_margin": oracle.margin}
    return np.abs(ratio - pred) / pred, ok, off, det


# ----------------------------------------------------------------- solutions vs the oracles

@claim("SPRED-11", PAPER, "derived",
       "spec §5.2 / §6 check 11: on an orthogonal design (X'X = nI) spred GD returns the soft "
       "threshold S_kappa(X'y/n) to max error 1e-10, stopping on ||grad L_rs||_inf <= 1e-13 "
       "within the run-length rule; coordinates with ||a_i| - kappa| < 1e-3 are dropped and "
       "listed",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_11(quick=True, broken=None):
    tr, err, d, det = orthogonal_run(60, 20, 0.5, 0.1, SEED + 11, SEED, broken)
    return combine([_stopped(tr, "orthogonal"),
                    upper(err, 1e-10, note=f"d={d}, GD step 0.1", details=det)])


def orthogonal_run(n, d, kappa, step, seed, init_seed, broken=None, T_cap=None):
    """SPRED-11: spred GD on an orthogonal design (coordinates within MARGIN_MIN of the
    breakpoint dropped) to gtol 1e-13 within the run-length rule; returns the run (with
    ``meta["T_max"]``), ``max|w - S_kappa(X'y/n)|``, the kept dimension and details (ValueError if the budget
    exceeds ``T_cap``)."""
    X, y = _orthogonal_design(n, d, seed)
    a_all = X.T @ y / n
    near = np.abs(np.abs(a_all) - kappa) < MARGIN_MIN   # spec §6: too close to the breakpoint
    X, a = X[:, ~near], a_all[~near]
    w_star = LS.one_d_solution(a, kappa)
    support = np.flatnonzero(w_star)
    off = np.abs(a[w_star == 0])
    margin = kappa - off.max() if off.size else np.inf
    T_max = _run_length(step, w_star, support, margin, np.eye(a.size))
    if T_cap is not None and T_max > T_cap:
        raise ValueError(f"run-length budget {T_max} above the cap {T_cap}")
    u0, W0 = S.initial_factors(a.size, 1, seed=init_seed)
    tr = S.spred(X, y, kappa, step=step, T=T_max, u0=u0, W0=W0, gtol=1e-13, check_every=50,
                 _variant=_variant(broken))
    tr.meta["T_max"] = T_max
    det = {"steps": tr.meta["n_steps"], "T_max": T_max, "dropped": np.flatnonzero(near),
           "dropped_distance": np.abs(np.abs(a_all) - kappa)[near] if near.any() else [],
           "min_distance_kept": np.abs(np.abs(a) - kappa).min()}
    return tr, np.abs(tr.meta["w"] - w_star).max(), a.size, det


# (instance seed offset, kappa / kappa_max): quick mode checks a subset of the full pairs
LASSO_PAIRS = ((0, 0.5), (1, 0.3), (2, 0.1), (3, 0.05))
LASSO_PAIRS_QUICK = ((1, 0.3), (2, 0.1))
ADAM_PAIR = (1, 0.3)   # the Adam part's fixed instance, checked outside the skip logic


@claim("SPRED-12", PAPER, "paper",
       "spec T1/C1 (paper: spred is an exact L1 solver; convex L: local = global), §6 check 12: "
       "spred GD on random lassos (n=100, d=40, 5-sparse) matches the certified polished "
       "oracle: identical supports, max|dw| <= 1e-8, objective gap <= 1e-12 relative, KKT "
       "max_S|g_i + kappa sign w_i| <= 1e-10 and max_off|g_i| <= kappa, gtol stop reached "
       "within the spec's run-length rule T = 40/(eta min(margin, lambda_min)) (instances with "
       "margin < 1e-3 skipped and listed). Empirical part (spec §3 [C], the authors' optimiser, "
       "not the paper's statement): Adam with COUPLED weight decay (lr 1e-2/(1 + t/300)) "
       "reaches ||grad L_rs||_inf <= 1e-12 within 20000 steps and then has max|dw| <= 1e-8 "
       "and the oracle's support",
       broken=("one_factor_decay", "factor_2_pitfall", "decoupled_weight_decay"))
def spred_12(quick=True, broken=None):
    outs, skipped = [], []
    gd_broken = None if broken == "decoupled_weight_decay" else broken
    for k, frac in LASSO_PAIRS_QUICK if quick else LASSO_PAIRS:
        X, y = _lasso_instance(SEED + 12 + k)
        kappa = frac * oracles.lam_max(X, y)
        oracle = oracles.lasso(X, y, kappa)
        if oracle.margin < MARGIN_MIN:
            skipped.append({"instance": k, "frac": frac, "margin": oracle.margin})
            continue
        oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", gd_broken, SEED + k,
                                    oracle=oracle)
        outs.append(_compare(oracle, tr, X, y, kappa, "least_squares", f"kappa={frac:g}kmax"))
    outs.append(_adam_part(broken))
    out = combine(outs)
    out.details.update(skipped_near_breakpoint=skipped)
    return out


def _adam_part(broken):
    """SPRED-12's empirical part on its fixed instance (never skipped, so the
    ``decoupled_weight_decay`` failure path cannot vanish): coupled Adam stopped on its gradient.

    Adam must stop on its gradient: once ||grad L_rs|| ~ 1e-16 its second moment decays below
    eps^2 and rounding noise is amplified into steps of order lr, so the iterate after a fixed T
    (no stopping rule) depends on the machine's rounding (reported as a detail only).
    """
    k, frac = ADAM_PAIR
    X, y = _lasso_instance(SEED + 12 + k)
    kappa = frac * oracles.lam_max(X, y)
    oracle = oracles.lasso(X, y, kappa)
    u0, W0 = S.initial_factors(X.shape[1], 1, seed=SEED + k)
    adam_kw = dict(optimizer="adam", step=1e-2, decay_steps=300.0, T=ADAM_T, u0=u0, W0=W0,
                   _variant=_variant(broken))
    adam = S.spred(X, y, kappa, gtol=ADAM_GTOL, check_every=50, **adam_kw)
    adam.meta["T_max"] = ADAM_T
    no_stop = S.spred(X, y, kappa, **adam_kw)
    same = np.array_equal(adam.meta["support"], oracle.support)
    det = {"adam_steps": adam.meta["n_steps"], "instance": k, "frac": frac,
           "adam_no_stop_max_dw_after_T": float(np.abs(no_stop.meta["w"] - oracle.x).max())}
    label = f"coupled Adam (empirical), kappa={frac:g}kmax"
    return combine([
        _polished(oracle, label), _margin_ok(oracle, label), _stopped(adam, label),
        upper(np.abs(adam.meta["w"] - oracle.x).max(), SUPPORT_TOL,
              f"{label}: stopped at ||grad||_inf <= 1e-12, max|dw|", det),
        predicate(same, adam.meta["support"].size, oracle.support.size,
                  1.0 if same else -1.0, f"{label}: oracle support", det)])


@claim("SPRED-13", PAPER, "derived",
       "spec §6 check 13: spred's output w is a fixed point of the lasso prox-gradient map, "
       "||w - S_{eta kappa}(w - eta grad L(w))||_inf <= 1e-10 for eta in {0.01, 0.1, 1, 10}",
       broken=("factor_2_pitfall",))
def spred_13(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 13)
    kappa = 0.15 * oracles.lam_max(X, y)
    _, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED)
    return upper(prox_residuals(tr, X, y, kappa), 1e-10, note="prox residual per eta")


def prox_residuals(tr, X, y, kappa, etas=(0.01, 0.1, 1.0, 10.0)):
    """SPRED-13: ``||w - S_{eta kappa}(w - eta grad L(w))||_inf`` at the run's output, per eta."""
    from sketchopt.penalties import L1
    w, pen = tr.meta["w"], L1(kappa)
    return [np.abs(w - pen.prox(w - eta * _ls_grad(X, y, w), eta)).max() for eta in etas]


@claim("SPRED-14", PAPER, "derived",
       "spec §6 check 14 (CLAIMS.md amendment): lasso path over a grid down from kappa_max: at "
       "every grid point with off-support margin and min|w_S|/max|w_S| >= 1e-3 spred matches "
       "the oracle with check 12's tolerances (identical supports/nnz, max|dw| <= 1e-8, objective, "
       "KKT, gtol stop within the run-length rule); skipped points are listed; quick mode: "
       "every third of the 12 grid points",
       broken=("factor_2_pitfall",))
def spred_14(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 14, 80, 30)
    kmax = oracles.lam_max(X, y)
    grid = np.geomspace(0.9, 0.05, 12) * kmax
    outs, skipped = [], []
    for i in range(0, grid.size, 3 if quick else 1):   # quick: every third grid point
        kappa = grid[i]
        oracle = oracles.lasso(X, y, kappa)
        ws = np.abs(oracle.x[oracle.support])
        ratio = ws.min() / ws.max() if ws.size else 1.0
        if oracle.margin < MARGIN_MIN or ratio < MARGIN_MIN:
            skipped.append({"kappa": kappa, "margin": oracle.margin, "ratio": ratio})
            continue
        oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED + i,
                                    oracle=oracle)
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
    oracle, tr = _run_to_oracle(X, y, kappa, "logistic", broken, SEED)
    return combine([_margin_ok(oracle, "logistic"),
                    _compare(oracle, tr, X, y, kappa, "logistic", "logistic")])


FD_TOL = 1e-7   # spec §6 check 16: finite-difference Hessians (h = 1e-6) are trusted to 1e-7


def _fd_rs_hessian(X, y, kappa, u, v, h=1e-6):
    """Central finite-difference Hessian of L_rs (least squares) at (u, v), symmetrised."""
    d = X.shape[1]

    def grad(z):
        g = _ls_grad(X, y, z[:d] * z[d:])
        return np.concatenate([g * z[d:] + kappa * z[:d], g * z[:d] + kappa * z[d:]])
    z = np.concatenate([u, v])
    fd = np.array([(grad(z + h * e) - grad(z - h * e)) / (2 * h) for e in np.eye(2 * d)])
    return (fd + fd.T) / 2


def _degenerate_response(X, y, w, support, kappa):
    """A response for which ``w`` stays a lasso solution but the off-support coordinate j with
    the largest |g_j| gets |g_j| = kappa (strict complementarity fails): y moves along the part
    of X_j orthogonal to X_S, which leaves g_S unchanged. Returns (y', j)."""
    n = X.shape[0]
    g = _ls_grad(X, y, w)
    off = np.setdiff1d(np.arange(X.shape[1]), support)
    j = off[np.argmax(np.abs(g[off]))]
    Q, _ = np.linalg.qr(X[:, support])
    z = X[:, j] - Q @ (Q.T @ X[:, j])   # X_S' z = 0
    return y + (g[j] - np.sign(g[j]) * kappa) * n / (X[:, j] @ z) * z, j


def endpoint_spectrum(X, y, kappa, tr):
    """SPRED-16, strict part: the FD spectrum of L_rs at the run's endpoint and D2's
    prediction."""
    u, v = tr.meta["u"], tr.meta["W"][:, 0]
    measured = np.linalg.eigvalsh(_fd_rs_hessian(X, y, kappa, u, v))
    w = u * v
    return measured, LS.predicted_spectrum(X.T @ X / X.shape[0], _ls_grad(X, y, w), w, kappa,
                                           tr.meta["support"])


def degenerate_spectrum(X, y, kappa, oracle):
    """SPRED-16, degenerate part: on the copy with |g_j| = kappa (same w*), the KKT violation
    and off-support margin of w*, the FD spectrum at its balanced lift, D2's prediction and
    j."""
    w_star, S_ = oracle.x, oracle.support
    y2, j = _degenerate_response(X, y, w_star, S_, kappa)
    g2 = _ls_grad(X, y2, w_star)
    violation, margin2 = oracles.kkt_measures(g2, w_star, *penalty_structure(kappa, None, None,
                                                                               w_star.size))
    u2, W2 = S.initial_factors(w_star.size, 1, "balanced", w0=w_star)
    m2 = np.linalg.eigvalsh(_fd_rs_hessian(X, y2, kappa, u2, W2[:, 0]))
    pred2 = LS.predicted_spectrum(X.T @ X / X.shape[0], g2, w_star, kappa, S_)
    return violation, margin2, m2, pred2, j


@claim("SPRED-16", PAPER, "derived",
       "spec D2 / §6 check 16: the finite-difference Hessian (h = 1e-6) of L_rs at spred's "
       "minimiser has spectrum {2kappa}^|S| U eig(2 W_S^1/2 H_SS W_S^1/2) U {kappa -+ |g_i|}, "
       "tol 1e-7; min eigenvalue > 0 iff strict complementarity: on the strict instance the "
       "minimum equals its prediction and exceeds the FD tolerance; on a degenerate copy "
       "(|g_j| = kappa for one zero coordinate, same w*) the FD spectrum at the balanced lift "
       "matches D2 and its minimum is 0 to 1e-7",
       broken=("factor_2_pitfall",))
def spred_16(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 16, 60, 12, 3)
    kappa = 0.2 * oracles.lam_max(X, y)
    oracle, tr = _run_to_oracle(X, y, kappa, "least_squares", broken, SEED)
    measured, pred = endpoint_spectrum(X, y, kappa, tr)
    det = {"instance_margin": oracle.margin, "support": tr.meta["support"],
           "min_eigenvalue": measured.min(), "predicted_min": pred.min()}
    strict = oracle.margin > FD_TOL
    positive = measured.min() > FD_TOL
    outs = [_polished(oracle, "strict"), _margin_ok(oracle, "strict"),
            equal(measured, pred, rtol=0.0, atol=FD_TOL, note="strict: spectrum", details=det),
            equal(measured.min(), pred.min(), rtol=0.0, atol=FD_TOL,
                  note="strict: min eigenvalue = min(2kappa, lambda_min(middle), margin)",
                  details=det),
            predicate(positive and strict, measured.min(), FD_TOL, measured.min() - FD_TOL,
                      "strict: min eigenvalue > 0 (beyond the FD tolerance)", det)]
    # the degenerate copy: the same w* is a minimiser with a zero curvature direction
    violation, margin2, m2, pred2, j = degenerate_spectrum(X, y, kappa, oracle)
    det2 = {"tight_coordinate": j, "kkt_margin": margin2, "min_eigenvalue": m2.min()}
    outs += [upper(violation, 1e-10, note="degenerate: w* still satisfies KKT", details=det2),
             equal(margin2, 0.0, note="degenerate: max_off |g_i| = kappa", details=det2),
             equal(m2, pred2, rtol=0.0, atol=FD_TOL, note="degenerate: spectrum", details=det2),
             equal(m2.min(), 0.0, rtol=0.0, atol=FD_TOL,
                   note="degenerate: min eigenvalue 0 (no strict complementarity)", details=det2)]
    return combine(outs)


def multitask_data(n, d, k, active, noise, seed):
    """Multi-output least squares ``Y = X V + noise Z`` with the first ``active`` rows of V
    Gaussian and the others zero (SPRED-17's generator)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    V_true = np.zeros((d, k))
    V_true[:active] = rng.normal(size=(active, k))
    return X, X @ V_true + noise * rng.normal(size=(n, k))


def multitask_run(X, Y, kappa, init_seed, broken=None, gtol=1e-13, T=40000):
    """SPRED-17: the multitask oracle and spred GD with the input mask (independent init,
    suggested step) run to ``gtol`` within ``T`` steps (``tr.meta["T_max"] = T``)."""
    oracle = oracles.multitask_lasso(X, Y, kappa)
    u0, W0 = S.initial_factors(X.shape[1], Y.shape[1], seed=init_seed)
    step = S.suggest_step(X, Y, kappa, u0, W0, w_max=np.linalg.norm(oracle.x, axis=1).max())
    tr = S.spred(X, Y, kappa, step=step, T=T, u0=u0, W0=W0, gtol=gtol, check_every=50,
                 _variant=_variant(broken))
    tr.meta["T_max"] = T
    return oracle, tr


@claim("SPRED-17", PAPER, "derived",
       "spec §1.3 / §6 check 17: spred's input mask V = diag(m) W on multi-output least squares "
       "solves the row-group (multi-task) lasso: vs the certified multitask_lasso oracle, "
       "objective gap <= 1e-10 relative, identical selected features, max|dV| <= 1e-8, and "
       "m_j^2 = ||W_j||^2 (1e-10)",
       broken=("one_factor_decay", "factor_2_pitfall"))
def spred_17(quick=True, broken=None):
    X, Y = multitask_data(80, 15, 3, 4, 0.3, SEED + 17)
    kappa = 0.25 * np.linalg.norm(X.T @ Y / X.shape[0], axis=1).max()
    oracle, tr = multitask_run(X, Y, kappa, SEED, broken)
    V = tr.meta["w"]
    obj = oracles.multitask_lasso_objective(X, Y, kappa, V)
    same = np.array_equal(tr.meta["support"], oracle.support)
    m, W = tr.meta["u"], tr.meta["W"]
    det = {"instance_margin": oracle.margin, "steps": tr.meta["n_steps"],
           "features": oracle.support}
    return combine([
        _polished(oracle, "multitask"), _margin_ok(oracle, "multitask"),
        _stopped(tr, "multitask"),
        upper(abs(obj - oracle.objective), 1e-10 * max(1, abs(oracle.objective)), "objective", det),
        predicate(same, tr.meta["support"].size, oracle.support.size, 1.0 if same else -1.0,
                  "identical selected features", det),
        upper(np.abs(V - oracle.x).max(), SUPPORT_TOL, "max|dV|", det),
        equal(m ** 2, np.sum(W ** 2, axis=1), rtol=0.0, atol=1e-10, note="m_j^2 = ||W_j||^2")])


# ------------------------------------------------------------------- nonconvex (T3), D5

def _double_well_minima(kappa, shift):
    """Local minima of (w^2-1)^2/4 + shift w + kappa|w|: roots of w^3 - w + shift + kappa sign w
    that are local minima, plus 0 when |shift| <= kappa (grid-verified in the claim)."""
    mins = [0.0] if abs(shift) <= kappa else []
    for sgn in (-1.0, 1.0):
        for r in np.roots([1.0, 0.0, -1.0, shift + sgn * kappa]):
            if abs(r.imag) < 1e-12 and r.real * sgn > 0 and 3 * r.real ** 2 - 1 > 0:
                mins.append(float(r.real))
    return np.array(sorted(mins))


def _mlp_spred(X, y, kappa, hidden, seed, one_factor):
    """Smooth tanh MLP with spred (W1 = U*V) on the first layer, L-BFGS to a local minimiser of
    L_rs. Returns (W1, W2, b2, data-loss function and gradient in (W1, W2, b2))."""
    from scipy.optimize import minimize
    n, d = X.shape
    shapes = [(hidden, d), (hidden, d), (hidden,), ()]
    sizes = [int(np.prod(s)) for s in shapes]

    def unpack(z):
        out, i = [], 0
        for s, m in zip(shapes, sizes):
            out.append(z[i:i + m].reshape(s))
            i += m
        return out

    def data(W1, W2, b2):
        # smooth part: squared loss + ordinary weight decay kappa/2 ||W2||^2 on the head (as in
        # the authors' code, decay on all parameters); without it W1 -> 0, W2 -> inf lowers
        # the L1 term forever and L_L1 has no minimiser
        Hh = np.tanh(X @ W1.T)
        r = Hh @ W2 + b2 - y
        dpre = (r[:, None] * W2[None, :]) * (1 - Hh ** 2) / n
        return (0.5 * r @ r / n + 0.5 * kappa * W2 @ W2, dpre.T @ X,
                Hh.T @ r / n + kappa * W2, r.sum() / n)

    def f(z):
        U, V, W2, b2 = unpack(z)
        val, gW1, gW2, gb2 = data(U * V, W2, b2)
        cv = 0.0 if one_factor else 1.0
        val += 0.5 * kappa * (np.sum(U * U) + cv * np.sum(V * V))
        return val, np.concatenate([(gW1 * V + kappa * U).ravel(),
                                    (gW1 * U + cv * kappa * V).ravel(), gW2, [gb2]])
    z = np.random.default_rng(seed).normal(0, 0.5, sum(sizes))
    z = minimize(f, z, jac=True, method="L-BFGS-B",
                 options={"gtol": 1e-9, "ftol": 0.0, "maxiter": 1000}).x
    for _ in range(8):  # Newton polish (finite-difference Hessian of the analytic gradient)
        g = f(z)[1]
        if np.abs(g).max() <= 1e-14:
            break
        h = 1e-6
        Hs = np.array([(f(z + h * e)[1] - f(z - h * e)[1]) / (2 * h) for e in np.eye(z.size)])
        try:
            z = z - np.linalg.solve((Hs + Hs.T) / 2, g)
        except np.linalg.LinAlgError:  # no isolated minimiser (e.g. a broken objective)
            break
    U, V, W2, b2 = unpack(z)
    return U * V, W2, float(b2), data


@claim("SPRED-18", PAPER, "reconstruction",
       "spec T3 (paper: local minima of L_rs correspond one-to-one to those of L_L1; the "
       "precise form tested is the spec's reconstruction [D]) / §6 check 18: (a) 300 "
       "(full: 3000) GD runs from uniform inits in "
       "[-1.2, 1.2]^2 on the 1-D double well (w^2-1)^2/4 + 0.1w, kappa=0.3 end only at "
       "grid-verified local minima of L_L1, balanced; (b) a tanh MLP with spred on its first "
       "layer (ordinary weight decay on the head), at a local minimiser of L_rs: L1 prox "
       "residual <= 1e-8, off-support margin kappa - |g_i| > 0, and on the smooth piece (support "
       "of the first layer + head) lambda_min(FD Hessian) > 0 and L_L1(theta + 1e-4 delta) >= "
       "L_L1(theta) for 200 (full: 1000) random delta",
       broken=("one_factor_decay",))
def spred_18(quick=True, broken=None):
    kappa, shift, eta = 0.3, 0.1, 0.05
    cv = 0.0 if broken == "one_factor_decay" else 1.0
    rng = np.random.default_rng(SEED + 18)
    # bounded inits: eta = 0.05 is stable on [-1.2, 1.2]^2 (local smoothness <= 17); larger
    # inits diverge under the quartic loss (spec §5.4's step-size caveat)
    u, v = rng.uniform(-1.2, 1.2, (2, 300 if quick else 3000))
    for _ in range(6000):
        g = (u * v) ** 3 - u * v + shift
        u, v = u - eta * (g * v + kappa * u), v - eta * (g * u + cv * kappa * v)
    w = u * v
    mins = _double_well_minima(kappa, shift)
    grid = np.linspace(-2, 2, 400_001)
    f = (grid ** 2 - 1) ** 2 / 4 + shift * grid + kappa * np.abs(grid)
    grid_mins = grid[1:-1][(f[1:-1] < f[:-2]) & (f[1:-1] < f[2:])]
    outs = [equal(grid_mins, mins, rtol=0.0, atol=2e-5, note="local minima: roots vs grid"),
            upper(np.abs(w[:, None] - mins[None, :]).min(axis=1), 1e-8,
                  note="(a) GD endpoints at local minima of L_L1",
                  details={"endpoints": np.unique(np.round(w, 6)), "minima": mins}),
            upper(np.abs(np.abs(u) - np.abs(v)), 1e-8, note="(a) balanced endpoints")]
    # (b) small smooth MLP
    X = rng.normal(size=(40, 5))
    y = np.tanh(X[:, 0] - 0.5 * X[:, 1]) + 0.05 * rng.normal(size=40)
    W1, W2, b2, data = _mlp_spred(X, y, 0.02, 3, SEED, broken == "one_factor_decay")
    _, gW1, gW2, gb2 = data(W1, W2, b2)
    prox_res = np.abs(W1 - oracles.soft_threshold(W1 - gW1, 0.02)).max()
    smooth_res = max(np.abs(gW2).max(), abs(gb2))
    # second order on the smooth piece of L_L1: the support of W1 (signs fixed) and the head;
    # off the support L_L1 grows at first order, which the margin below checks separately
    on = np.abs(W1) > 1e-8 * max(1.0, np.abs(W1).max())
    off_margin = 0.02 - np.abs(gW1[~on]).max(initial=0.0)
    m = int(on.sum())

    def piece(z):
        W = W1.copy()
        W[on] = z[:m]
        return W, z[m:m + 3], z[m + 3]

    def l1(z):
        W, a, b = piece(z)
        return data(W, a, b)[0] + 0.02 * np.abs(W).sum()

    def l1_grad(z):
        W, a, b = piece(z)
        _, gW, ga, gb = data(W, a, b)
        return np.concatenate([gW[on] + 0.02 * np.sign(W1[on]), ga, [gb]])
    theta, h, e = np.concatenate([W1[on], W2, [b2]]), 1e-6, 1e-4
    fd = np.array([(l1_grad(theta + h * u) - l1_grad(theta - h * u)) / (2 * h)
                   for u in np.eye(theta.size)])
    lam_min = np.linalg.eigvalsh((fd + fd.T) / 2).min()
    incr = [l1(theta + e * delta) - l1(theta)
            for delta in rng.normal(size=(200 if quick else 1000, theta.size))]
    det = {"nnz_first_layer": m, "min_abs_support": np.abs(W1[on]).min(initial=np.inf),
           "off_support_margin": off_margin, "restricted_lambda_min": lam_min}
    outs += [upper(max(prox_res, smooth_res), 1e-8, note="(b) MLP: L1 prox residual"),
             predicate(off_margin > 0, off_margin, 0.0, off_margin,
                       "(b) MLP: off-support |g_i| < kappa (first order)", det),
             predicate(lam_min > FD_TOL, lam_min, FD_TOL, lam_min - FD_TOL,
                       "(b) MLP: lambda_min of the Hessian on support + head > 0", det),
             lower(np.min(incr), 0.0, details=det,
                   note="(b) MLP: second-order test, 1e-4 perturbations on support + head")]
    return combine(outs)


@claim("SPRED-19", PAPER, "derived",
       "spec D5/D1 / §6 check 19: on an orthogonal design (a) a balanced init with every sign "
       "wrong ends at w = 0, a saddle: the Hessian of L_rs at the endpoint has exactly one "
       "negative eigenvalue kappa - |a_i| per |a_i| > kappa; (b) the same with imbalance 1e-6 "
       "escapes to S_kappa(a) (1e-10); (c) u = +-v stays bitwise exact under GD, momentum and "
       "Adam; coordinates within 0.3 of the breakpoint are dropped and listed",
       broken=("one_factor_decay",))
def spred_19(quick=True, broken=None):
    n, d, kappa = 40, 12, 0.5
    X, y = _orthogonal_design(n, d, SEED + 19)
    # escape (b) takes ~log(1/1e-6)/(eta(|a_i| - kappa)) steps and (a)'s zeros decay at
    # kappa - |a_i|: coordinates within 0.3 of the breakpoint are dropped (and listed) to keep
    # the runs short
    dist = np.abs(np.abs(X.T @ y / n) - kappa)
    keep = dist > 0.3
    X = X[:, keep]
    a = X.T @ y / n
    wrong = -np.sign(a) * np.abs(np.random.default_rng(SEED).normal(0.0, 0.5, a.size))
    var = _variant(broken)
    outs = []
    uA, WA = S.initial_factors(a.size, 1, "balanced", w0=wrong)
    trA = S.spred(X, y, kappa, step=0.1, T=3000, u0=uA, W0=WA, _variant=var)
    uA_T, vA_T = trA.meta["u"], trA.meta["W"][:, 0]
    g = _ls_grad(X, y, trA.meta["w"])
    idx, _ = LS.frozen_saddles(uA_T, vA_T, g, kappa, atol=1e-100)
    big = np.flatnonzero(np.abs(a) > kappa)
    # the Hessian of L_rs at the endpoint itself (X'X/n = I here): its negative eigenvalues
    hess = np.linalg.eigvalsh(LS.rs_hessian(X.T @ X / n, g, uA_T, vA_T, kappa))
    neg = hess[hess < 0]
    det = {"dropped": np.flatnonzero(~keep), "dropped_distance": dist[~keep],
           "negative_eigenvalues": neg, "frozen_at_zero": idx}
    outs += [upper(np.abs(trA.meta["w"]).max(), 1e-12, note="(a) all-wrong signs end at 0",
                   details=det),
             predicate(np.array_equal(idx, big), idx.size, big.size,
                       1.0 if np.array_equal(idx, big) else -1.0,
                       "(a) stuck at u = v = 0 exactly where |a_i| > kappa", det)]
    if neg.size == big.size:
        outs.append(equal(neg, np.sort(kappa - np.abs(a[big])), details=det,
                          note="(a) Hessian at the endpoint: negative eigenvalues kappa - |a_i|"))
    else:
        outs.append(predicate(False, neg.size, big.size, -1.0,
                              "(a) Hessian at the endpoint: one negative eigenvalue per "
                              "|a_i| > kappa", det))
    uB, WB = S.initial_factors(a.size, 1, "imbalanced", imbalance=1e-6, w0=wrong)
    trB = S.spred(X, y, kappa, step=0.1, T=20000, u0=uB, W0=WB, gtol=1e-13, _variant=var)
    outs.append(upper(np.abs(trB.meta["w"] - LS.one_d_solution(a, kappa)).max(), 1e-10,
                      note="(b) imbalance 1e-6 escapes", details={"steps": trB.meta["n_steps"]}))
    Xl, yl = _lasso_instance(SEED + 19, 50, 10)
    w0 = np.random.default_rng(SEED + 1).normal(0, 0.5, 10)
    uC, WC = S.initial_factors(10, 1, "balanced", w0=w0)
    for opt in ("gd", "momentum", "adam"):
        tr = S.spred(Xl, yl, 0.1, optimizer=opt, step=0.01, T=300, u0=uC, W0=WC, _variant=var)
        u, v = tr.meta["u"], tr.meta["W"][:, 0]
        frozen = LS.sign_frozen(u, v).size
        outs.append(predicate(frozen == 10, frozen, 10, frozen - 10.0,
                              f"(c) {opt}: u = +-v bitwise"))
    return combine(outs)


def _sgd_linearisation(X, y, kappa, w_star, support, batch):
    """Constant-step minibatch SGD linearised at the balanced minimiser [D].

    Near the lift ``z* = (u*, v*)`` of ``w*`` only the support moves (off the support
    ``u_i = v_i = 0`` is absorbing and no noise reaches it). One step is
    ``z' = z - eta (grad L_rs(z) + J' xi)`` with ``J = [diag(v*), diag(u*)]`` (``dw = J dz``) and
    ``xi`` the minibatch gradient noise: mean 0, covariance ``Sigma / B`` (``Sigma`` the per-row
    covariance of grad L at w*, rows drawn with replacement). So ``e' = (I - eta A) e - eta J'xi``
    with ``A`` the Hessian of L_rs on the support, and the error covariance obeys
    ``C' = M C M' + eta^2 Q``, ``M = I - eta A``, ``Q = J' Sigma J / B``. Stationary:
    ``E||w - w*||^2 = tr(J C J') = eta tr(J C1 J') + O(eta^2)`` with ``A C1 + C1 A = Q``, i.e. the
    error is ~ eta^(1/2), not linear in eta. Returns ``(A, Q, J)``.
    """
    n = X.shape[0]
    r = np.sqrt(np.abs(w_star[support]))
    u, v = r, np.sign(w_star[support]) * r
    g = _ls_grad(X, y, w_star)
    A = LS.rs_hessian((X.T @ X / n)[np.ix_(support, support)], g[support], u, v, kappa)
    rows = X[:, support] * (X @ w_star - y)[:, None]       # per-row gradients on S
    J = np.hstack([np.diag(v), np.diag(u)])
    return A, J.T @ (np.cov(rows.T, bias=True).reshape(r.size, r.size) / batch) @ J, J


def _stationary_mse(A, Q, J, eta):
    """``tr(J C J')`` with ``C = M C M' + eta^2 Q`` (exact for the linearised recursion)."""
    M = np.eye(A.shape[0]) - eta * A
    return float(np.trace(J @ solve_discrete_lyapunov(M, eta ** 2 * Q) @ J.T))


def _decaying_mse(A, Q, J, steps, C0):
    """``tr(J C_t J')`` along ``C_{t+1} = M_t C_t M_t' + eta_t^2 Q`` from ``C0``, t = 0..T."""
    out, C = [float(np.trace(J @ C0 @ J.T))], C0
    I = np.eye(A.shape[0])
    for eta in steps:
        M = I - eta * A
        C = M @ C @ M.T + eta ** 2 * Q
        out.append(float(np.trace(J @ C @ J.T)))
    return np.array(out)


@claim("SPRED-20", PAPER, "derived",
       "spec §3 caveat / §6 check 20: minibatch SGD (B=32) with a constant step drives the "
       "off-support coordinates to <= 1e-10 (zero is absorbing); the stationary support error "
       "obeys the derived linearised law E||w - w*||^2 = tr(J C(eta) J') (discrete Lyapunov, "
       "= O(eta), so the error ~ eta^(1/2); the spec's 'scales ~linearly in eta' is not what "
       "the derivation or the measurement gives) at eta in {1/2, 1/4, 1/8} x base (the law "
       "is first order in eta: its remainder, ~1.7% at the base step and ~0.9% at base/2, is "
       "below the Monte Carlo resolution at the steps checked, which is why base itself is "
       "not); with "
       "eta_t = eta/(1 + t/tau) after the stationary phase the error follows the time-varying "
       "recursion and falls (window (T/2, T] vs (T/20, T/10]); MC rule (Bonferroni) over "
       "derived seeds",
       broken=("factor_2_pitfall", "linear_in_eta"))
def spred_20(quick=True, broken=None):
    X, y, _, _ = regression_data(200, 20, 3, rho=0.2, snr=5.0, seed=SEED + 20)
    kappa, batch, rec = 0.3 * oracles.lam_max(X, y), 32, 2
    oracle = oracles.lasso(X, y, kappa)
    w_star, supp = oracle.x, oracle.support
    off = np.setdiff1d(np.arange(20), supp)
    u0, W0 = S.initial_factors(20, 1, seed=SEED)
    base = S.suggest_step(X, y, kappa, u0, W0, w_max=np.abs(w_star).max(), safety=0.5)
    A, Q, J = _sgd_linearisation(X, y, kappa, w_star, supp, batch)
    R, window, T_dec, tau = (8, 1000, 5000, 100.0) if quick else (24, 8000, 20000, 100.0)
    # the law is first order in eta: its remainder measured ~1.7% at eta = base (resolved at
    # full-mode precision) and ~0.9% at base/2, so the checked steps start at base/2
    fracs = (0.5, 0.25, 0.125)
    seeds = stats.derive_seeds(SEED + 20, 2 * R)
    H = X.T @ X / X.shape[0]
    mse, pred, offs, ends = [], [], [], []
    for frac in fracs:
        eta = frac * base
        # burn-in: 20 e-folds of the slowest local rate (transient << stationary spread)
        T_b = _run_length(eta, w_star, supp, oracle.margin, H, e_folds=20.0)
        T = T_b + int(window / frac)
        runs = [S.spred(X, y, kappa, optimizer="sgd", batch_size=batch, step=eta, T=T, u0=u0,
                        W0=W0, seed=sd, record_every=rec, keep_x=True, _variant=_variant(broken))
                for sd in seeds[:R]]
        mse.append([np.mean(np.sum((tr.x[tr.steps >= T_b] - w_star) ** 2, axis=1))
                    for tr in runs])
        pred.append(_stationary_mse(A, Q, J, eta))
        offs.append(max(np.abs(tr.meta["w"][off]).max() for tr in runs))
        if frac == fracs[0]:
            ends = [(tr.meta["u"], tr.meta["W"]) for tr in runs]
    if broken == "linear_in_eta":  # the spec's law: error ~ eta, i.e. E||e||^2 ~ eta^2
        pred = [pred[0] * (f / fracs[0]) ** 2 for f in fracs]
    # decaying step, continued from the stationary endpoints at eta0 = fracs[0] * base
    eta0 = fracs[0] * base
    steps = eta0 / (1.0 + np.arange(T_dec) / tau)
    C0 = solve_discrete_lyapunov(np.eye(A.shape[0]) - eta0 * A, eta0 ** 2 * Q)
    law = _decaying_mse(A, Q, J, steps, C0)
    t_rec = np.arange(0, T_dec + 1, rec)   # the kernel's record steps (rec divides T_dec)
    early, late = (t_rec > T_dec / 20) & (t_rec <= T_dec / 10), t_rec > T_dec / 2
    dec = {"early": [], "late": []}
    for (uT, WT), sd in zip(ends, seeds[R:]):
        tr = S.spred(X, y, kappa, optimizer="sgd", batch_size=batch, step=eta0, T=T_dec,
                     decay_steps=tau, u0=uT, W0=WT, seed=sd, record_every=rec, keep_x=True,
                     _variant=_variant(broken))
        err = np.sum((tr.x - w_star) ** 2, axis=1)
        dec["early"].append(err[early].mean())
        dec["late"].append(err[late].mean())
        offs.append(np.abs(tr.meta["w"][off]).max())
    pred += [law[t_rec[early]].mean(), law[t_rec[late]].mean()]
    samples = np.column_stack(mse + [dec["early"], dec["late"]])    # (R, 5 entries)
    mc = stats.mc_equal(samples, np.array(pred))
    mean, se = stats.mean_se(samples)
    falls = mean[4] + mc.z * se[4] < mean[3] - mc.z * se[3]
    rms = np.sqrt(mean[:3])
    det = {"etas": [f * base for f in fracs], "mean_sq_error": mean, "se_per_entry": se,
           "predicted": pred, "relative_deviation": mean / np.array(pred) - 1.0,
           "rms_error_loglog_slope": stats.loglog_slope(np.array(fracs), rms).slope,
           "derived_slope": 0.5, "spec_slope_linear": 1.0, "runs_per_entry": R,
           "burn_in_rule": "20 e-folds of min(margin, lambda_min)", "tau": tau, "T_dec": T_dec,
           "instance_margin": oracle.margin, "seeds": seeds}
    return combine([
        _polished(oracle, "SGD"), _margin_ok(oracle, "SGD"),
        upper(offs, 1e-10, note="off-support |w| at T (every run)", details=det),
        from_mc(mc, "equal", note="E||w - w*||^2 vs the linearised law (3 constant steps, "
                "2 windows of the decaying step)", details=det),
        predicate(falls, mean[4], mean[3], (mean[3] - mc.z * se[3]) - (mean[4] + mc.z * se[4]),
                  "decaying step: error at T below the error at T/10 (z*se apart)", det)])


@claim("SPRED-21", PAPER, "derived",
       "spec §5.1 / §6 check 21: critical slow-down: at |a| = kappa (1-D, balanced GD) |w_t| "
       "decays like 1/(2 eta t): log-log slope -1 +- 0.05 over the last decade of T steps",
       broken=("factor_2_pitfall",))
def spred_21(quick=True, broken=None):
    eta, T = 0.1, 100000
    tr = _one_d_gd(1.0, 1.0, 0.5, eta, T, broken, record_every=T // 100)
    t, w = tr.steps[tr.steps >= T // 10].astype(float), np.abs(tr.x[tr.steps >= T // 10, 0])
    slope = stats.loglog_slope(t, w).slope
    return upper(abs(slope + 1.0), 0.05, note=f"slope {slope:.4f}",
                 details={"w_T": w[-1], "1/(2 eta T)": 1 / (2 * eta * T),
                          "trajectory": trajectory(t, w, 1 / (2 * eta * t), log_x=True,
                                                   y_label="|w_t| vs 1/(2 eta t)")})


@claim("SPRED-22", PAPER, "derived",
       "spec §1.1 / §6 check 22 (derived scaling; the authors' code [C] mixes both scalings): "
       "training mean(r^2) (no 1/2) with weight decay lambda on both factors solves the lasso "
       "with kappa = lambda/2 (check 12's tolerances vs the certified oracle at lambda/2, run "
       "length scaled by the loss factor 2)",
       broken=("factor_2_pitfall",))
def spred_22(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 22)
    lam = 0.3 * oracles.lam_max(X, y)
    # the pitfall: believing mean(r^2) + weight decay lam is the lasso at lam
    target = lam if broken == "factor_2_pitfall" else lam / 2
    oracle = oracles.lasso(X, y, target)
    # w_max x 2: under the pitfall the minimiser (lasso at lam/2) is larger than the oracle's
    oracle, tr = _run_to_oracle(X, y, lam, "least_squares", None, SEED, oracle=oracle,
                                loss_scale=2.0, w_max=2 * np.abs(oracle.x).max())
    label = "mean(r^2) + wd lambda"
    return combine([_margin_ok(oracle, label),
                    _compare(oracle, tr, X, y, target, "least_squares", label)])


def ode_deviation(X, y, kappa, eta, horizon, u0, W0, broken=None):
    """SPRED-23: ``|w_t - w_Euler(t)| / max|w_t|`` at 11 records up to ``horizon`` between (u,v)
    GD and forward Euler (same eta) of the reduced ODE dw/dt = -sqrt(4w^2 + D^2) g - 2 kappa w,
    D = D0 exp(-2 kappa t) (``broken="balanced_ode"``: D0 = 0)."""
    T = int(round(horizon / eta))
    tr = S.spred(X, y, kappa, step=eta, T=T, u0=u0, W0=W0, record_every=T // 10, keep_x=True,
                 _variant=_variant(broken))
    D0 = 0.0 * u0 if broken == "balanced_ode" else u0 ** 2 - W0[:, 0] ** 2
    w = u0 * W0[:, 0]
    ws = [w]
    for t in range(T):
        w = w + eta * LS.reduced_rhs(w, D0 * np.exp(-2 * kappa * t * eta), _ls_grad(X, y, w),
                                     kappa)
        if (t + 1) % (T // 10) == 0:
            ws.append(w)
    ws = np.array(ws)
    return np.abs(tr.x - ws) / np.abs(ws).max(axis=1, keepdims=True)


@claim("SPRED-23", PAPER, "derived",
       "spec D6 / §6 check 23: (u,v) GD with eta = 1e-4 follows the reduced ODE "
       "dw/dt = -sqrt(4w^2 + D^2) g - 2 kappa w, D = D0 exp(-2 kappa t), integrated by forward "
       "Euler with the same eta: max relative deviation <= 1e-4 (the spec's tolerance) up to "
       "t = 1 (O(eta))",
       broken=("one_factor_decay", "balanced_ode"))
def spred_23(quick=True, broken=None):
    X, y = _lasso_instance(SEED + 23, 50, 8)
    kappa, eta, horizon = 0.3, 1e-4, 1.0
    T = int(round(horizon / eta))
    u0, W0 = S.initial_factors(8, 1, seed=SEED + 23)
    return upper(ode_deviation(X, y, kappa, eta, horizon, u0, W0, broken), 1e-4,
                 note=f"{T} Euler steps, relative to max|w_t|")


def depth3_values(w, a, b, kappa, c=(1.0, 1.0, 1.0)):
    """SPRED-24: ``sum_k c_k kappa/2 u_k^2`` of the factorisations ``(a, b, w/(ab))`` and the
    bound ``(3 kappa/2)|w|^(2/3)`` (``c = (1, 1, 0)``: decay on two factors only)."""
    return (0.5 * kappa * (c[0] * a ** 2 + c[1] * b ** 2 + c[2] * (w / (a * b)) ** 2),
            LS.depth_penalty(w, kappa, 3))


@claim("SPRED-24", PAPER, "derived",
       "OPTIONAL, outside the paper (spec §1.3 / §6 check 24, Hoff 2017): depth-3 products: "
       "min sum_k kappa/2 u_k^2 s.t. u1 u2 u3 = w equals (3 kappa/2)|w|^(2/3), attained at "
       "|u_k| = |w|^(1/3); random factorisations are not smaller",
       broken=("one_factor_decay",))
def spred_24(quick=True, broken=None):
    rng = np.random.default_rng(SEED + 24)
    kappa = 0.4
    c = np.array([1.0, 1.0, 0.0 if broken == "one_factor_decay" else 1.0])
    w = rng.normal(size=30)
    r = np.abs(w) ** (1 / 3)
    balanced = 0.5 * kappa * (c[0] * r ** 2 + c[1] * r ** 2 + c[2] * r ** 2)
    outs = [equal(balanced, LS.depth_penalty(w, kappa, 3), note="balanced factorisation")]
    a, b = np.exp(rng.normal(size=(2, 200 if quick else 5000, 30))) * r
    vals, bound = depth3_values(w, a, b, kappa, c)
    outs.append(lower(vals.min(axis=0), bound, note="random factorisations"))
    return combine(outs)
