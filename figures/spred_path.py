"""spred (a): the lasso path of spred GD against the certified oracle over a grid of kappa."""

import numpy as np

from sketchopt import oracles
from sketchopt.methods import spred as S
from sketchopt.problems import regression_data

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"n": 80, "d": 20, "k": 4, "grid": 8 if quick else 30, "seed": 11, "T": 60000}

    def compute():
        X, y, _, _ = regression_data(params["n"], params["d"], params["k"], rho=0.3, snr=5.0,
                                     seed=params["seed"])
        kmax = oracles.lam_max(X, y)
        grid = np.geomspace(0.95, 0.02, params["grid"]) * kmax
        W_or, W_sp, margins = [], [], []
        for i, kappa in enumerate(grid):
            o = oracles.lasso(X, y, kappa)
            u0, W0 = S.initial_factors(params["d"], 1, seed=i)
            step = S.suggest_step(X, y, kappa, u0, W0, w_max=np.abs(o.x).max())
            tr = S.spred(X, y, kappa, step=step, T=params["T"], u0=u0, W0=W0, gtol=1e-13,
                         check_every=50)
            W_or.append(o.x)
            W_sp.append(tr.meta["w"])
            margins.append(o.margin)
        return {"grid": grid / kmax, "oracle": np.array(W_or), "spred": np.array(W_sp),
                "margin": np.array(margins)}
    return params, cached("spred_path", params, compute)


@figure("spred_path", "spred",
        "lasso path: spred GD (markers) vs the certified oracle (lines), and max|dw| per kappa",
        claims=("SPRED-14",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, (ax, ax2) = new_figure(1, 2, figsize=(10, 4))
    g = data["grid"]
    for j in range(data["oracle"].shape[1]):
        c = f"C{j % 10}"
        ax.plot(g, data["oracle"][:, j], color=c, lw=1)
        ax.plot(g, data["spred"][:, j], "o", ms=3, mfc="none", color=c)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel(r"$\kappa / \kappa_{\max}$")
    ax.set_ylabel("coefficient $w_j$")
    ax.set_title(f"lasso path (n={params['n']}, d={params['d']}): lines oracle, o spred GD",
                 fontsize=9)
    err = np.abs(data["spred"] - data["oracle"]).max(axis=1)
    ax2.semilogy(g, np.maximum(err, 1e-17), "o-", label=r"max$|w_{spred}-w_{oracle}|$")
    ax2.semilogy(g, np.maximum(data["margin"], 1e-17), "s--",
                 label=r"margin $\kappa - \max_{i\notin S}|g_i|$")
    ax2.axhline(1e-8, color="k", ls=":", lw=1, label="tolerance 1e-8")
    ax2.set_xscale("log")
    ax2.invert_xaxis()
    ax2.set_xlabel(r"$\kappa / \kappa_{\max}$")
    ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.85))
    ax2.set_title("distance to the oracle; instance margin", fontsize=9)
    return save(fig, out_dir, "spred_path")
