"""Effect of the number K of helper steps at a fixed f-gradient budget (exact moments)."""

import numpy as np

from sketchopt.methods import auxinfo_exact as ex
from sketchopt.methods.auxinfo_noise import NoiseModel
from sketchopt.problems.pairs import random_quadratic_pair

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"d": 5, "cond": 4.0, "deltas_over_L": [0.01, 0.1, 0.5],
              "Ks": [1, 2, 5, 10, 20] if quick else [1, 2, 3, 5, 10, 20, 50, 100],
              "budget": 40, "a": 0.5, "s": 0.3, "rho": 0.9, "seed": 18}

    def compute():
        p = params
        out = {}
        for i, dl in enumerate(p["deltas_over_L"]):
            pair = random_quadratic_pair(p["d"], dl * p["cond"], cond=p["cond"], bias=1.0,
                                         seed=p["seed"])
            L_B = np.linalg.eigvalsh(pair.h.A)[-1]
            x0 = pair.f.minimizer() + 3.0
            delta = dl * pair.f.L
            for j, nm in enumerate((NoiseModel.exact(),
                                    NoiseModel.additive(p["s"], p["s"], p["rho"]))):
                final = []
                for K in p["Ks"]:
                    # the spec's L-scaled form of Figure 1's min(1/2, 1/(delta K))
                    eta = min(0.5 / L_B, 1.0 / (delta * K))
                    final.append(ex.exact_moments(pair, x0, eta, K, p["budget"], p["a"], "mom",
                                                  "V1", nm)["grad2"][-1])
                out[f"g{i}_{j}"] = np.array(final)
                out[f"limit{i}"] = np.array(ex.spectral_radius(
                    ex.limit_matrix(pair.f.A, pair.h.A)))
        return out
    return params, cached("auxinfo_inner_steps", params, compute)


@figure("auxinfo_inner_steps", "auxinfo",
        "Effect of K at a fixed budget of f-gradients: exact E||grad f(x_T)||^2 of AuxMOM V1 "
        "on quadratic pairs, eta = min(1/(2 L_h), 1/(delta K)), three delta/L, exact and noisy",
        claims=("AUX-3", "AUX-4"))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, axes = new_figure(1, 2, figsize=(11, 4.2))
    Ks = np.array(params["Ks"])
    titles = ("exact gradients", f"additive noise, std {params['s']} per coordinate, "
                                 f"ρ = {params['rho']}")
    for j, (axis, title) in enumerate(zip(axes, titles)):
        for i, dl in enumerate(params["deltas_over_L"]):
            axis.loglog(Ks, data[f"g{i}_{j}"], marker="o", ms=3, color=f"C{i}",
                        label=f"δ/L = {dl:g}  (K→∞ rate ρ(B⁻¹(B−A)) = "
                              f"{float(data[f'limit{i}']):.2f})")
        axis.set_xlabel("helper steps K per f-gradient")
        axis.set_title(title, fontsize=9)
    axes[0].set_ylabel(r"exact $E\|\nabla f(x_T)\|^2$ after "
                       f"{params['budget']} f-gradients")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"AuxMOM V1 at a fixed f-gradient budget, a={params['a']}, η = min(1/(2L_h), "
                 f"1/(δK)), d={params['d']}, L={params['cond']:g}", fontsize=9)
    return save(fig, out_dir, "auxinfo_inner_steps")
