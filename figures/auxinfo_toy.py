"""Figure 1 of the paper (toy example): effect of the bias zeta on naive, AuxMOM and FT."""

import numpy as np

from sketchopt.methods import auxinfo as ax
from sketchopt.problems.pairs import toy_pair

from ._registry import cached, figure, new_figure, save

ZETAS = (1.0, 10.0, 100.0)


def _data(quick):
    params = {"K": 10, "deltas": [1.0, 10.0], "zetas": list(ZETAS), "T": 50 if quick else 80,
              "a": 0.5, "x0": 1.0}

    def compute():
        out = {}
        K, T, a = params["K"], params["T"], params["a"]
        for i, delta in enumerate(params["deltas"]):
            eta = min(0.5, 1.0 / (delta * K))  # the paper's step size
            for j, zeta in enumerate(params["zetas"]):
                pair = toy_pair(delta, zeta)
                x0 = [params["x0"]]
                out[f"mom{i}_{j}"] = np.abs(ax.aux_mom(pair, x0, eta, K, T, a).x[:, 0])
                out[f"mvr{i}_{j}"] = np.abs(ax.aux_mvr(pair, x0, eta, K, (T + 1) // 2, a).x[:, 0])
                out[f"naive{i}_{j}"] = np.abs(ax.naive(pair, x0, eta, T * (K + 1)).x[-1, 0])
                ft = ax.fine_tune(pair, x0, eta, T * K, eta, T)
                out[f"ft{i}_{j}"] = np.abs(ft.x[T * K:, 0])
            out[f"sgdm{i}"] = np.abs(ax.first_order(toy_pair(delta, 0.0).f, [params["x0"]], eta,
                                                    T, a).x[:, 0])
        return out
    return params, cached("auxinfo_toy", params, compute)


@figure("auxinfo_toy", "auxinfo",
        "Paper's Figure 1 toy (K=10, eta=min(1/2, 1/(delta K))): naive stalls at zeta/(1+delta), "
        "AuxMOM converges for every zeta, FT wins only for small zeta at delta=10",
        claims=("AUX-9", "AUX-8", "AUX-6"))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, axes = new_figure(1, 2, figsize=(11, 4.2), sharey=True)
    T = params["T"]
    t = np.arange(T + 1)
    floor = 1e-9
    for i, (axis, delta) in enumerate(zip(axes, params["deltas"])):
        axis.semilogy(t, np.maximum(data[f"mom{i}_0"], floor), color="C0", lw=2.2,
                      label="AuxMOM V1 (a=0.5), identical for every ζ")
        # AuxMVR's iterate t has used 2t - 1 f-gradients (no previous anchor at t = 1)
        tm = np.maximum(2 * np.arange(data[f"mvr{i}_0"].size) - 1, 0)
        axis.semilogy(tm, np.maximum(data[f"mvr{i}_0"], floor), color="C4", ls="-.",
                      label="AuxMVR V1 (2 f-grads/step), every ζ")
        axis.semilogy(t, np.maximum(data[f"sgdm{i}"], floor), color="C2", ls=":",
                      label="SGD with momentum on f (no helper)")
        for j, zeta in enumerate(params["zetas"]):
            alpha = 0.45 + 0.55 * j / (len(params["zetas"]) - 1)
            axis.axhline(data[f"naive{i}_{j}"], color="C3", ls="--", alpha=alpha,
                         label=f"naive (h only; final value), ζ={zeta:g}")
            axis.semilogy(t, np.maximum(data[f"ft{i}_{j}"], floor), color="C1", alpha=alpha,
                          label=f"fine-tuning, ζ={zeta:g}")
        eta = min(0.5, 1.0 / (delta * params["K"]))
        axis.set_title(f"δ = {delta:g}, K = {params['K']}, η = {eta:g}")
        axis.set_xlabel("f-gradient evaluations")
        axis.set_ylim(floor, 3e2)
    axes[0].set_ylabel("|f'(x)| (toy: f(x) = x²/2)")
    axes[1].legend(fontsize=7, loc="lower left", ncol=1)
    fig.suptitle("Toy example of the paper's Figure 1 (AuxMOM/AuxMVR: reconstruction V1; "
                 "FT after K·T helper steps, same η)", fontsize=9)
    return save(fig, out_dir, "auxinfo_toy")
