"""spred (d): high-dimensional sparse regression (the authors' demo scale n = 1000, d up to
40 000 in full mode): wall time, sparsity and objective of spred (GD, Adam) against the
certified lasso oracle and scikit-learn's Lasso."""

import time

import numpy as np

from sketchopt import oracles
from sketchopt.methods import spred as S

from ._registry import cached, figure, new_figure, save


def instance(n, d, k, seed):
    """X ~ N(0, 1), k-sparse N(0, 1) truth, noise std 0.1 (spec §4.2 setup, sparse truth)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w = np.zeros(d)
    w[rng.choice(d, k, replace=False)] = rng.standard_normal(k)
    return X, X @ w + 0.1 * rng.standard_normal(n)


def _sklearn(X, y, kappa):
    try:
        from sklearn.linear_model import Lasso
    except ImportError:  # optional dependency
        return None
    t0 = time.perf_counter()
    m = Lasso(alpha=kappa, fit_intercept=False, tol=1e-10, max_iter=100000).fit(X, y)
    return m.coef_.copy(), time.perf_counter() - t0


def _data(quick):
    params = {"n": 100 if quick else 1000, "dims": [300, 1000] if quick else
              [1000, 4000, 10000, 40000], "k": 20, "frac": 0.1, "seed": 3,
              "gd_T": 5000 if quick else 20000, "adam_T": 1000 if quick else 10000,
              "gd_step": "suggest_step with the oracle max|w*|"}

    def compute():
        Xw, yw = instance(20, 30, 3, 0)  # compile / load every kernel before timing
        oracles.lasso(Xw, yw, 0.5 * oracles.lam_max(Xw, yw))
        _sklearn(Xw, yw, 0.1)
        S._warmup()
        rows = {key: [] for key in ("t_oracle", "t_sk", "t_gd", "t_adam", "obj_oracle", "obj_sk",
                                    "obj_gd", "obj_adam", "nnz_oracle", "nnz_sk", "nnz_gd",
                                    "nnz_adam", "zeros_gd", "zeros_adam", "steps_gd")}
        for d in params["dims"]:
            X, y = instance(params["n"], d, params["k"], params["seed"])
            kappa = params["frac"] * oracles.lam_max(X, y)
            t0 = time.perf_counter()
            o = oracles.lasso(X, y, kappa)
            rows["t_oracle"].append(time.perf_counter() - t0)
            rows["obj_oracle"].append(o.objective)
            rows["nnz_oracle"].append(o.support.size)
            sk = _sklearn(X, y, kappa)
            rows["t_sk"].append(np.nan if sk is None else sk[1])
            rows["obj_sk"].append(np.nan if sk is None else oracles.lasso_objective(X, y, kappa,
                                                                                    sk[0]))
            rows["nnz_sk"].append(np.nan if sk is None else np.sum(sk[0] != 0))
            u0, W0 = S.initial_factors(d, 1, seed=1)
            # GD step: suggest_step with the oracle's max|w*| (the certified default bound
            # L(0)/kappa is safe but gives a step too small to converge in the budget)
            step = S.suggest_step(X, y, kappa, u0, W0, w_max=np.abs(o.x).max())
            for name, kw in (("gd", dict(optimizer="gd", T=params["gd_T"], gtol=1e-10,
                                         check_every=100, step=step)),
                             ("adam", dict(optimizer="adam", step=1e-2,
                                           T=params["adam_T"]))):
                t0 = time.perf_counter()
                tr = S.spred(X, y, kappa, u0=u0, W0=W0, **kw)
                rows[f"t_{name}"].append(time.perf_counter() - t0)
                rows[f"obj_{name}"].append(oracles.lasso_objective(X, y, kappa, tr.meta["w"]))
                rows[f"nnz_{name}"].append(tr.meta["support"].size)
                rows[f"zeros_{name}"].append(tr.meta["exact_zeros"])
                if name == "gd":
                    rows["steps_gd"].append(tr.meta["n_steps"])
        return {k: np.array(v, dtype=float) for k, v in rows.items()}
    return params, cached("spred_highdim", params, compute)


@figure("spred_highdim", "spred",
        "high-dimensional lasso: wall time, support size and objective excess of spred GD/Adam "
        "vs the certified oracle and scikit-learn Lasso",
        claims=("SPRED-12",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    dims = np.array(params["dims"], dtype=float)
    fig, axes = new_figure(1, 3, figsize=(13, 3.8))
    names = {"oracle": "oracle (certified CD)", "sk": "scikit-learn Lasso (tol 1e-10)",
             "gd": f"spred GD (gtol 1e-10 or {params['gd_T']} steps)",
             "adam": f"spred Adam lr 1e-2, {params['adam_T']} steps"}
    marks = {"oracle": "s-", "sk": "d-", "gd": "o-", "adam": "^-"}
    for c, (key, lab) in enumerate(names.items()):
        kw = dict(color=f"C{c}", label=lab)
        axes[0].loglog(dims, data[f"t_{key}"], marks[key], **kw)
        axes[1].semilogx(dims, data[f"nnz_{key}"], marks[key], **kw)
        if key != "oracle":
            excess = (data[f"obj_{key}"] - data["obj_oracle"]) / data["obj_oracle"]
            axes[2].loglog(dims, np.maximum(np.abs(excess), 1e-17), marks[key], **kw)
    axes[0].set_ylabel("wall time [s]")
    axes[1].set_ylabel("support size (threshold 1e-8 max(1, max|w|))")
    axes[2].set_ylabel("|objective - oracle| / oracle")
    for ax in axes:
        ax.set_xlabel("dimension d")
    axes[0].legend(fontsize=7)
    axes[0].set_title(f"n={params['n']}, {params['k']}-sparse truth, "
                      f"kappa={params['frac']:g} kmax", fontsize=9)
    axes[1].set_title("support size (exact zeros: GD %s)" % (
        ", ".join(str(int(z)) for z in data["zeros_gd"])), fontsize=9)
    axes[2].set_title("objective excess over the oracle (floor 1e-17)", fontsize=9)
    return save(fig, out_dir, "spred_highdim")
