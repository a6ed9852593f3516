"""SGD on a quadratic: exact E||x_t - x*||^2, its Monte Carlo twin, and the BASE-2 bound."""

import numpy as np

from sketchopt import stats
from sketchopt.methods.baselines import sgd_moment_recursion, sgd_quadratic
from sketchopt.problems import random_quadratic

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"d": 10, "cond": 20.0, "sigma": 1.0, "T": 300, "runs": 200 if quick else 2000,
              "steps": [1.0, 0.5, 0.1], "seed": 7}

    def compute():
        quad = random_quadratic(params["d"], cond=params["cond"], seed=params["seed"])
        x_star = quad.minimizer()
        e0 = np.random.default_rng(params["seed"]).standard_normal(quad.d) * 3
        out = {}
        seeds = stats.derive_seeds(params["seed"], len(params["steps"]))
        for k, frac in enumerate(params["steps"]):
            g, T, s = frac / quad.L, params["T"], params["sigma"]
            out[f"exact{k}"] = sgd_moment_recursion(quad, g, s).expected_quadratic(e0, T)
            t = np.arange(T + 1)
            out[f"bound{k}"] = ((1 - g * quad.mu) ** (2 * t) * (e0 @ e0)
                                + g * s ** 2 / (quad.mu * (2 - g * quad.mu)))
            rng = np.random.default_rng(seeds[k])
            runs = np.empty((params["runs"], T + 1))
            for r in range(params["runs"]):
                noise = rng.standard_normal((T, quad.d)) * (s / np.sqrt(quad.d))
                xs = sgd_quadratic(quad, x_star + e0, g, noise).x
                runs[r] = np.sum((xs - x_star) ** 2, axis=1)
            out[f"mc_mean{k}"], out[f"mc_se{k}"] = stats.mean_se(runs)
        return out
    return params, cached("base_sgd_quadratic", params, compute)


@figure("base_sgd_quadratic", "base",
        "SGD on a quadratic: exact E||x_t-x*||^2 vs Monte Carlo vs the BASE-2 bound (log scale)",
        claims=("BASE-2",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    from matplotlib.lines import Line2D
    fig, ax = new_figure()
    t = np.arange(params["T"] + 1)
    z = stats.bonferroni_z(1)
    marks = t[::20]
    for k, frac in enumerate(params["steps"]):
        c = f"C{k}"
        ax.semilogy(t, data[f"exact{k}"], color=c, label=f"step {frac:g}/L")
        ax.semilogy(t, data[f"bound{k}"], color=c, ls="--")
        m, se = data[f"mc_mean{k}"][marks], data[f"mc_se{k}"][marks]
        ax.errorbar(marks, m, yerr=z * se, fmt="o", ms=3, color=c, capsize=2)
    styles = [Line2D([], [], color="k", label="exact recursion"),
              Line2D([], [], color="k", ls="--", label="bound (BASE-2)"),
              Line2D([], [], color="k", marker="o", ls="", ms=3,
                     label=f"Monte Carlo, {params['runs']} runs, ±{z:.2f} se")]
    first = ax.legend(loc="upper right", fontsize=8, title="step size", title_fontsize=8)
    ax.add_artist(first)
    ax.legend(handles=styles, loc="lower left", fontsize=8)
    ax.set_xlabel("iteration t")
    ax.set_ylabel(r"$E\|x_t - x^\star\|^2$")
    ax.set_title(f"SGD, additive noise, d={params['d']}, cond={params['cond']:g}")
    return save(fig, out_dir, "base_sgd_quadratic")
