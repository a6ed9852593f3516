"""Regime map: f-gradients AuxMOM / AuxMVR need relative to SGD, over delta/L and rho."""

import numpy as np

from ._registry import cached, figure, new_figure, save


def _data(quick):
    from theory_checks.auxinfo import REGIME, regime_map
    params = {"deltas": [0.0, 0.1, 1.0] if quick else [0.0, 0.01, 0.1, 0.3, 1.0, 3.0],
              "rhos": [0.0, 0.9, 0.99] if quick else [0.0, 0.5, 0.9, 0.99], **REGIME}

    def compute():
        grid = regime_map(params["deltas"], params["rhos"])
        return {"mom": grid["mom"], "mvr": grid["mvr"]}
    return params, cached("auxinfo_regime", params, compute)


@figure("auxinfo_regime", "auxinfo",
        "Regime map (exact moments, quadratic pair): f-gradients to reach E||grad f||^2 <= "
        "target, AuxMOM/AuxMVR (V1) relative to SGD, over delta/L and the noise correlation rho",
        claims=("AUX-18",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    from matplotlib.colors import TwoSlopeNorm
    fig, axes = new_figure(1, 2, figsize=(11, 4.2))
    norm = TwoSlopeNorm(vmin=-3, vcenter=0, vmax=3)
    for axis, name, title in zip(axes, ("mom", "mvr"), ("AuxMOM / SGD", "AuxMVR / SGD")):
        r = np.asarray(data[name], dtype=float)
        never = ~np.isfinite(r) | (r > 1e300)
        img = np.where(never, 3.0, np.log2(np.where(never, 1.0, r)))
        im = axis.imshow(img, cmap="RdBu_r", norm=norm, aspect="auto", origin="lower")
        for i in range(r.shape[0]):
            for j in range(r.shape[1]):
                axis.text(j, i, "never" if never[i, j] else f"{r[i, j]:.2f}", ha="center",
                          va="center", fontsize=8, color="white" if never[i, j] else "black")
        axis.set_xticks(range(len(params["rhos"])), [f"{v:g}" for v in params["rhos"]])
        axis.set_yticks(range(len(params["deltas"])), [f"{v:g}" for v in params["deltas"]])
        axis.set_xlabel("correlation ρ of f- and h-noise (same sample)")
        axis.set_ylabel("δ / L")
        axis.set_title(f"{title}: f-gradients to target (ratio)")
        axis.grid(False)
    fig.colorbar(im, ax=axes, label="log2 ratio (blue: fewer f-gradients than SGD)")
    fig.suptitle(f"d={params['d']}, L={params['cond']:g}, μ=1, K={params['K']}, a={params['a']}, "
                 f"noise std {params['s']} per coordinate, target E‖∇f‖² ≤ {params['target']}, "
                 f"SGD step {params['sgd_step']}/L; 'never': plateau above target",
                 fontsize=8)
    return save(fig, out_dir, "auxinfo_regime")
