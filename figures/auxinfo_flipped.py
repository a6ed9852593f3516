"""Flipped-label logistic regression (delta = 0, D12): helper = same inputs, 30% labels flipped."""

import numpy as np

from sketchopt import stats
from sketchopt.methods import auxinfo as ax
from sketchopt.methods.auxinfo_noise import NoiseModel
from sketchopt.problems.pairs import logistic_pair

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"n": 200, "d": 10, "fraction": 0.3, "batch": 10, "K": 10, "a": 0.5,
              "budget": 40 if quick else 150, "runs": 3 if quick else 20, "step": 0.5,
              "seed": 4, "panels": ["exact", "batch"]}
    # T AuxMVR steps use 2T - 1 f-gradients: the most that fit in the budget (a cache key too)
    params["mvr_steps"] = (params["budget"] + 1) // 2

    def compute():
        p = params
        pair = logistic_pair("flipped", n=p["n"], d=p["d"], fraction=p["fraction"],
                             seed=p["seed"])
        eta = p["step"] / pair.f.L
        F, K, a = p["budget"], p["K"], p["a"]
        x0 = np.zeros(p["d"])
        out = {}
        for label, nm, runs in (("exact", NoiseModel.exact(), 1),
                                ("batch", NoiseModel.minibatch(p["batch"], shared=True),
                                 p["runs"])):
            for k, v in _curves(pair, nm, x0, eta, F, p["mvr_steps"], K, a, runs,
                                p["seed"]).items():
                out[f"{label}_{k}"] = v
        return out
    return params, cached("auxinfo_flipped", params, compute)


def _curves(pair, nm, x0, eta, F, T_mvr, K, a, runs, seed):
    """Mean ||grad f||^2 per f-gradient tick for every method over ``runs`` seeds."""
    curves = {k: [] for k in ("auxmom", "auxmvr", "sgd", "sgdm", "naive", "ft")}
    for s in stats.derive_seeds(seed, runs):
        curves["auxmom"].append(ax.aux_mom(pair, x0, eta, K, F, a, "V1", nm, seed=s)
                                .stats["grad_norm2"])
        curves["auxmvr"].append(ax.aux_mvr(pair, x0, eta, K, T_mvr, a, "V1", nm, seed=s)
                                .stats["grad_norm2"])
        for name, mom in (("sgd", 1.0), ("sgdm", a)):
            curves[name].append(ax.first_order(pair.f, x0, eta, F, mom, noise=nm, seed=s)
                                .stats["grad_norm2"])
        curves["naive"].append(ax.naive(pair, x0, eta, F * (K + 1), nm, seed=s)
                               .stats["grad_norm2"][::K + 1])
        ft = ax.fine_tune(pair, x0, eta, F * K, eta, F, a=1.0, noise=nm, seed=s)
        curves["ft"].append(ft.stats["grad_norm2"][F * K:])
    return {k: np.mean(v, axis=0) for k, v in curves.items()}


@figure("auxinfo_flipped", "auxinfo",
        "Logistic regression, helper with 30% flipped labels on the same inputs (delta = 0): "
        "mean ||grad f||^2 against f-gradients for AuxMOM/AuxMVR (V1), SGD, SGDm, naive, FT",
        claims=("AUX-20",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, axes = new_figure(1, 2, figsize=(11, 4.2))
    F = params["budget"]
    t = np.arange(F + 1)
    titles = {"exact": "full-batch gradients (exact)",
              "batch": f"shared minibatches of {params['batch']}, mean of {params['runs']} runs"}
    for axis, label in zip(axes, ("exact", "batch")):
        dat = {k[len(label) + 1:]: v for k, v in data.items() if k.startswith(label + "_")}
        axis.semilogy(t, dat["auxmom"], color="C0", lw=2, label=f"AuxMOM V1 (K={params['K']})")
        tm = np.maximum(2 * np.arange(dat["auxmvr"].size) - 1, 0)
        axis.semilogy(tm, dat["auxmvr"], color="C4", ls="-.",
                      label="AuxMVR V1 (2 f-grads/step)")
        axis.semilogy(t, dat["sgd"], color="C2", label="SGD on f")
        axis.semilogy(t, dat["sgdm"], color="C2", ls=":", label=f"SGDm on f (a={params['a']})")
        axis.semilogy(t, dat["naive"], color="C3", ls="--",
                      label=f"naive (h only, {params['K'] + 1} h-steps per tick)")
        axis.semilogy(t, dat["ft"], color="C1", label=f"FT (after {params['K']}·budget h-steps)")
        axis.set_xlabel("f-gradient evaluations")
        axis.set_title(titles[label], fontsize=9)
    axes[0].set_ylabel(r"$\|\nabla f(x)\|^2$")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"Logistic regression, helper = same inputs with {params['fraction']:.0%} labels "
                 f"flipped (δ = 0 exactly), n={params['n']}, d={params['d']}, step "
                 f"{params['step']}/L, a={params['a']}", fontsize=9)
    return save(fig, out_dir, "auxinfo_flipped")
