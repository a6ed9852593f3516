"""MAST (c): iterations of DSGD to a fixed accuracy against the sparsity level q (C20)."""

import numpy as np

from sketchopt.methods.mast_exact import dsgd_exact
from sketchopt.oracles import mast_quadratic
from sketchopt.problems import gaussian_spd
from sketchopt.sketches import RandK

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"d": 8 if quick else 12, "tol": 1e-6, "alpha": 0.3, "seed": 33,
              "T": 6000 if quick else 40000}

    def compute():
        d = params["d"]
        rng = np.random.default_rng(params["seed"])
        A = gaussian_spd(d, params["alpha"], seed=rng)
        b = rng.standard_normal(d)
        x_star = np.linalg.solve(A, b)
        x0 = x_star + rng.standard_normal(d)
        Ks = np.array([K for K in range(1, d + 1) if d % K == 0])
        iters, theory = [], []
        for K in Ks:
            mq = mast_quadratic(A, b, x_star, RandK(d, K))  # v = x*: no plateau
            step = 1.0 / (mq.L_f * mq.L_S_max)
            dist2 = dsgd_exact(mq, x0, step, params["T"])["dist2"]
            hit = np.flatnonzero(dist2 <= params["tol"] * dist2[0])
            iters.append(hit[0] if hit.size else np.nan)
            theory.append(np.log(1 / params["tol"]) / (step * mq.mu_f * mq.mu_D))
        return {"q": Ks / d, "iters": np.array(iters, float), "theory": np.array(theory)}
    return params, cached("mast_sparsity", params, compute)


@figure("mast_sparsity", "mast",
        "Exact DSGD iterations to E||x_t - x*||^2 <= 1e-6 ||x_0 - x*||^2 grow as the sparsity "
        "level q = K/d falls (step 1/(L_f L_S^max) shrinks like q^2), next to the T1 count",
        claims=("MAST-C20",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, ax = new_figure()
    ax.loglog(data["q"], data["iters"], "o-", label="exact DSGD (interpolation, v = x*)")
    ax.loglog(data["q"], data["theory"], "s--", ms=4,
              label=r"T1 count $\log(10^6)/(\gamma\mu_f\mu_D)$")
    ax.set_xlabel("sparsity level q = K/d")
    ax.set_ylabel("iterations to 1e-6 relative accuracy")
    ax.set_title(f"Sparsity trend (C20), Rand-K, d={params['d']}")
    ax.legend(fontsize=8)
    return save(fig, out_dir, "mast_sparsity")
