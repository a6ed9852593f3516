"""MAST (b): the stationary neighbourhood E||x_inf - x*_D||^2 against the step size."""

import numpy as np

from sketchopt.methods.mast_exact import dsgd_recursion, t1_bound
from sketchopt.oracles import mast_quadratic
from sketchopt.problems import gaussian_spd
from sketchopt.sketches import Bernoulli, RandK

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"d": 7, "fractions": np.logspace(-3, 0, 7 if quick else 16).tolist(), "seed": 32}

    def compute():
        rng = np.random.default_rng(params["seed"])
        d = params["d"]
        A = gaussian_spd(d, 0.1, seed=rng)
        b, v = rng.standard_normal(d), rng.standard_normal(d)
        out = {}
        for name, sk in (("randk", RandK(d, 2)), ("bern", Bernoulli(rng.uniform(0.2, 0.9, d)))):
            mq = mast_quadratic(A, b, v, sk)
            vals, w = sk.enumerate()
            steps = np.array(params["fractions"]) / (mq.L_f * mq.L_S_max)
            out[f"{name}_steps"] = steps
            out[f"{name}_stat"] = np.array([np.trace(dsgd_recursion(
                A, b, v, vals, w, g, mq.x_star_D).stationary()[1]) for g in steps])
            out[f"{name}_bound"] = t1_bound(mq, steps, 1, 0.0)
        return out
    return params, cached("mast_neighbourhood", params, compute)


@figure("mast_neighbourhood", "mast",
        "Stationary E||x_inf - x*_D||^2 of DSGD is proportional to the step size (slope 1 on "
        "log-log axes) and stays below the derived T1 neighbourhood "
        "2 g L_f L_S^max gap/(mu_f mu_D)",
        claims=("MAST-C13", "MAST-C11"))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, ax = new_figure()
    labels = (("randk", "Rand-K, K=2"), ("bern", "Bernoulli, p_i in [0.2, 0.9]"))
    for k, (name, label) in enumerate(labels):
        g = data[f"{name}_steps"]
        ax.loglog(g, data[f"{name}_stat"], "o-", color=f"C{k}", ms=3, label=f"{label}: exact")
        ax.loglog(g, data[f"{name}_bound"], "--", color=f"C{k}", lw=1, label=f"{label}: T1 bound")
    g = data["randk_steps"]
    ax.loglog(g, data["randk_stat"][0] * g / g[0], ":", color="gray", lw=1,
              label="slope 1 reference")
    ax.set_xlabel(r"step size $\gamma$")
    ax.set_ylabel(r"stationary $E\|x_\infty - x^\star_D\|^2$")
    ax.set_title(f"DSGD neighbourhood vs step, d={params['d']} (exact fixed point)")
    ax.legend(fontsize=8)
    return save(fig, out_dir, "mast_neighbourhood")
