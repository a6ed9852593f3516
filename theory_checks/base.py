"""Foundation claims BASE-1..3 (CLAIMS.md): GD/SGD rates on quadratics, oracle certificates."""

import warnings

import numpy as np

from sketchopt import stats
from sketchopt.methods.baselines import gd_quadratic, sgd_moment_recursion, sgd_quadratic
from sketchopt.problems import random_quadratic

from ._framework import claim, combine, equal, from_mc, upper
from ._trajectory import trajectory

BASE_SEED = 20261125


def gd_rate(quad, x0, step, T):
    """BASE-1: ``||x_t - x*||^2`` of GD (the kernel) and the bound ``(1 - mu/L)^(2t)
    ||x_0 - x*||^2``, t = 0..T."""
    x_star = quad.minimizer()
    dist2 = np.sum((gd_quadratic(quad, x0, step, T).x - x_star) ** 2, axis=1)
    return dist2, (1.0 - quad.mu / quad.L) ** (2 * np.arange(T + 1)) * dist2[0]


def sgd_exact_bound(quad, e0, step, sigma, T):
    """BASE-2: exact ``E||e_t||^2`` of SGD with additive noise and the bound
    ``(1 - g mu)^(2t) ||e_0||^2 + g s^2/(mu (2 - g mu))``, t = 0..T."""
    exact = sgd_moment_recursion(quad, step, sigma).expected_quadratic(e0, T)
    g, mu = step, quad.mu
    bound = (1 - g * mu) ** (2 * np.arange(T + 1)) * (e0 @ e0) + g * sigma ** 2 / (
        mu * (2 - g * mu))
    return exact, bound


@claim("BASE-1", "base", "derived",
       "GD with step 1/L on a quadratic: ||x_t - x*||^2 <= (1 - mu/L)^(2t) ||x_0 - x*||^2 "
       "for all t",
       broken=("step_past_bound",))
def base_1(quick=True, broken=None):
    outs = []
    for k, cond in enumerate((2.0, 10.0, 100.0)):
        quad = random_quadratic(8, cond=cond, seed=BASE_SEED + k)
        x_star = quad.minimizer()
        x0 = x_star + np.random.default_rng(k).standard_normal(quad.d)
        step = (2.2 if broken == "step_past_bound" else 1.0) / quad.L
        T = 200 if quick else 2000
        dist2, bound = gd_rate(quad, x0, step, T)
        outs.append(upper(dist2, bound, note=f"cond={cond:g}",
                          details={"trajectory": trajectory(np.arange(T + 1), dist2, bound,
                                                            y_label="||x_t - x*||^2")}))
    return combine(outs, note="all t <= T, three condition numbers")


@claim("BASE-2", "base", "derived",
       "SGD (step g <= 1/L, additive noise of variance s^2) on a quadratic: the exact recursion "
       "E||e_t||^2 equals Monte Carlo (MC rule) and E||e_t||^2 <= (1-g mu)^(2t)||e_0||^2 "
       "+ g s^2/(mu(2 - g mu))",
       broken=("noise_not_scaled_by_step", "step_past_bound"))
def base_2(quick=True, broken=None):
    quad = random_quadratic(5, cond=10.0, seed=BASE_SEED)
    x_star = quad.minimizer()
    sigma = 0.5
    step = (2.2 if broken == "step_past_bound" else 1.0) / quad.L
    T = 50
    e0 = np.random.default_rng(BASE_SEED).standard_normal(quad.d)
    exact, bound = sgd_exact_bound(quad, e0, step, sigma, T)
    bound_out = upper(exact, bound, note="exact recursion vs bound, all t <= 50",
                      details={"trajectory": trajectory(np.arange(T + 1), exact, bound,
                                                        y_label="E||e_t||^2 (exact)")})

    runs = 2000 if quick else 20000
    rng = np.random.default_rng(stats.derive_seeds(BASE_SEED, 1)[0])
    noise = rng.standard_normal((runs, T, quad.d)) * (sigma / np.sqrt(quad.d))
    if broken == "noise_not_scaled_by_step":
        noise = noise / step  # the noise then enters the iterate unscaled by g
    checkpoints = np.array([1, 2, 5, 10, 20, 50])
    samples = np.empty((runs, checkpoints.size))
    for r in range(runs):
        xs = sgd_quadratic(quad, x_star + e0, step, noise[r]).x
        samples[r] = np.sum((xs[checkpoints] - x_star) ** 2, axis=1)
    mc = from_mc(stats.mc_equal(samples, exact[checkpoints]), "equal",
                 note=f"MC ({runs} runs) = exact at t in {checkpoints.tolist()}")
    return combine([bound_out, mc])


def _fista(grad, L, prox, d, iters):
    """Plain FISTA in NumPy: the fallback independent solver (no shared code with oracles)."""
    w = np.zeros(d)
    z, tk = w.copy(), 1.0
    for _ in range(iters):
        w_new = prox(z - grad(z) / L, 1.0 / L)
        t_new = (1 + np.sqrt(1 + 4 * tk * tk)) / 2
        z = w_new + (tk - 1) / t_new * (w_new - w)
        w, tk = w_new, t_new
    return w


def _l1_prox(lam):
    return lambda u, s: np.sign(u) * np.maximum(np.abs(u) - s * lam, 0.0)


def _independent_lasso(X, y, lam, iters):
    """scikit-learn's coordinate descent at a tight tolerance, else NumPy FISTA."""
    try:
        from sklearn.linear_model import Lasso
    except ImportError:
        n = X.shape[0]
        return _fista(lambda w: X.T @ (X @ w - y) / n, np.linalg.norm(X, 2) ** 2 / n,
                      _l1_prox(lam), X.shape[1], iters), "NumPy FISTA"
    model = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=10 ** 6)
    return model.fit(X, y).coef_, "scikit-learn Lasso"


def _independent_l1_logistic(X, y, lam, iters):
    """scikit-learn's liblinear at a tight tolerance, else NumPy FISTA."""
    n = X.shape[0]
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        grad = lambda w: -X.T @ (y / (1 + np.exp(y * (X @ w)))) / n  # noqa: E731
        return _fista(grad, np.linalg.norm(X, 2) ** 2 / (4 * n), _l1_prox(lam), X.shape[1],
                      iters), "NumPy FISTA"
    model = LogisticRegression(l1_ratio=1.0, C=1.0 / (n * lam), solver="liblinear",
                               fit_intercept=False, tol=1e-12, max_iter=iters,
                               random_state=0)  # liblinear shuffles: fix it for repeatability
    # liblinear rarely meets tol 1e-12 and warns (here its gap stalls near 2e-13 within 1000
    # passes); that is harmless because the claim's window comes from this solution's own
    # recomputed gap, so the pass budget only decides how tight the window is
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        return model.fit(X, y).coef_.ravel(), "scikit-learn liblinear"


def _independent_enet_intercept(X, y, lam, l2, s, iters):
    """Weighted elastic net with an unpenalized intercept: scikit-learn's ElasticNet at a tight
    tolerance (``alpha = lam + l2``, ``l1_ratio = lam / alpha``), else NumPy FISTA on
    ``(w, b)``. Returns ``(w, b, name)``."""
    p = s / s.sum()
    try:
        from sklearn.linear_model import ElasticNet
    except ImportError:
        A = np.c_[X, np.ones(X.shape[0])]
        L = np.linalg.norm(A * np.sqrt(p)[:, None], 2) ** 2 + l2
        reg = np.r_[np.full(X.shape[1], l2), 0.0]

        def prox(u, t):
            out = u.copy()
            out[:-1] = np.sign(u[:-1]) * np.maximum(np.abs(u[:-1]) - t * lam, 0.0)
            return out
        wb = _fista(lambda v: A.T @ (p * (A @ v - y)) + reg * v, L, prox, A.shape[1], iters)
        return wb[:-1], wb[-1], "NumPy FISTA"
    alpha = lam + l2
    model = ElasticNet(alpha=alpha, l1_ratio=lam / alpha, tol=1e-14, max_iter=10 ** 6)
    model.fit(X, y, sample_weight=s)
    return model.coef_, float(model.intercept_), "scikit-learn ElasticNet"


def _independent_group_lasso(X, y, lam, groups, iters):
    """Plain FISTA in NumPy (a second, independent algorithm)."""
    n = X.shape[0]

    def prox(u, s):
        out = np.zeros_like(u)
        for g in groups:
            nrm = np.linalg.norm(u[g])
            if nrm > s * lam:
                out[g] = (1 - s * lam / nrm) * u[g]
        return out
    return _fista(lambda w: X.T @ (X @ w - y) / n, np.linalg.norm(X, 2) ** 2 / n, prox,
                  X.shape[1], iters)


@claim("BASE-3", "base", "derived",
       "Oracle certificates: lasso, group lasso, L1 logistic and the weighted elastic net with "
       "an intercept agree with an independent solver within the distance/objective implied "
       "by both certified gaps, and the lasso matches soft-thresholding on an orthogonal "
       "design",
       broken=("oracle_wrong_lambda", "closed_form_half_threshold", "intercept_dropped"))
def base_3(quick=True, broken=None):
    from sketchopt import oracles
    from sketchopt.problems import logistic_data, regression_data
    rng = np.random.default_rng(BASE_SEED)
    n, d = 80, 20
    X, y, _, _ = regression_data(n, d, 4, rho=0.3, seed=rng)
    lam_max = np.abs(X.T @ y).max() / n
    lam = lam_max / 5
    lam_solved = lam * (1 + 1e-3) if broken == "oracle_wrong_lambda" else lam
    mu = np.linalg.eigvalsh(X.T @ X / n)[0]  # the lasso objective is mu-strongly convex
    outs = []

    res = oracles.lasso(X, y, lam_solved)
    iters = 3000 if quick else 20000
    w_ind, lasso_ref = _independent_lasso(X, y, lam, iters)
    gap_ind = oracles.lasso_gap(X, y, lam, w_ind)
    gap_or = res.gap  # the oracle's own certificate is what is under test
    # ||w - w*||^2 <= 2 gap / mu for a mu-strongly convex objective (derived)
    radius = np.sqrt(2 * max(gap_ind, 0) / mu) + np.sqrt(2 * max(gap_or, 0) / mu)
    outs.append(upper(np.linalg.norm(res.x - w_ind), radius,
                      note=f"lasso vs {lasso_ref}, radius from both gaps"))

    groups = [np.arange(k, k + 4) for k in range(0, d, 4)]
    res_g = oracles.group_lasso(X, y, lam_solved, groups)
    w_g = _independent_group_lasso(X, y, lam, groups, iters)
    gap_g_ind = oracles.group_lasso_gap(X, y, lam, groups, w_g)
    gap_g_or = res_g.gap
    radius = np.sqrt(2 * max(gap_g_ind, 0) / mu) + np.sqrt(2 * max(gap_g_or, 0) / mu)
    outs.append(upper(np.linalg.norm(res_g.x - w_g), radius,
                      note="group lasso vs NumPy FISTA, radius from both gaps"))

    Xl, yl, _, _ = logistic_data(120, 10, 3, seed=rng)
    lam_l = np.abs(Xl.T @ yl).max() / (2 * 120) / 4
    res_l = oracles.l1_logistic(Xl, yl, lam_l * (1 + 2e-2) if broken == "oracle_wrong_lambda"
                                else lam_l)
    w_l, logistic_ref = _independent_l1_logistic(Xl, yl, lam_l, iters)
    gap_l_ind = oracles.l1_logistic_gap(Xl, yl, lam_l, w_l)
    gap_l_or = res_l.gap
    F = lambda w: oracles.l1_logistic_objective(Xl, yl, lam_l, w)  # noqa: E731
    # both objectives lie within their own gap above F*, so they differ by at most the larger
    outs.append(upper(abs(F(res_l.x) - F(w_l)), max(gap_l_ind, gap_l_or, 0.0),
                      note=f"L1 logistic vs {logistic_ref}, objectives within gaps"))

    # options: sample weights, elastic net, intercept (the exact-reduction path of the oracle)
    sw = rng.uniform(0.2, 2.0, n)
    l2, yb = 0.05, y + 3.0
    res_o = oracles.lasso(X, yb, lam_solved, fit_intercept=True, sample_weight=sw, l2=l2)
    b_or = 0.0 if broken == "intercept_dropped" else res_o.intercept
    w_e, b_e, enet_ref = _independent_enet_intercept(X, yb, lam, l2, sw, iters)

    def gap_at(w, b):
        return oracles.certificate(X, yb, lam, w, intercept=b, fit_intercept=True,
                                   sample_weight=sw, l2=l2).gap
    A = np.c_[X, np.ones(n)]
    # strong convexity of the smooth part in (w, b): A' diag(p) A + l2 on w (derived)
    mu_o = np.linalg.eigvalsh((A.T * (sw / sw.sum())) @ A + np.diag(np.r_[np.full(d, l2),
                                                                           0.0]))[0]
    # the oracle's own reported gap is what is under test; the reference's is recomputed
    radius = np.sqrt(2 * max(gap_at(w_e, b_e), 0) / mu_o) + np.sqrt(2 * res_o.gap / mu_o)
    outs.append(upper(np.linalg.norm(np.r_[res_o.x - w_e, b_or - b_e]), radius,
                      note=f"weighted elastic net with intercept vs {enet_ref}, radius from "
                           "both gaps"))

    Q, _ = np.linalg.qr(rng.standard_normal((n, d)))
    Xo = Q * np.sqrt(n)  # X'X/n = I
    yo = rng.standard_normal(n)
    lam_o = np.abs(Xo.T @ yo).max() / n / 3
    thr = lam_o / 2 if broken == "closed_form_half_threshold" else lam_o
    closed = oracles.soft_threshold(Xo.T @ yo / n, thr)
    outs.append(equal(oracles.lasso(Xo, yo, lam_o).x, closed,
                      note="orthogonal design: lasso = soft_threshold(X'y/n, lam)"))
    return combine(outs)
