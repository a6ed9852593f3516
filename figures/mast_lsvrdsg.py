"""MAST (e): the L-SVRDSG plateau against the number b of sketches in the reference gradient."""

import numpy as np

from sketchopt import stats
from sketchopt.methods.mast import lsvrdsg_quadratic
from sketchopt.oracles import mast_quadratic
from sketchopt.problems import gaussian_spd
from sketchopt.sketches import RandK

from ._registry import cached, figure, new_figure, save


def _data(quick):
    params = {"d": 7, "K": 2, "batches": [1, 2, 3, 5, 7, 10, 14, 21], "seeds": 20,
              "T": 3000 if quick else 20000, "seed": 35}

    def compute():
        rng = np.random.default_rng(params["seed"])
        d = params["d"]
        A = gaussian_spd(d, 1.0, seed=rng)
        b, v = rng.standard_normal(d), rng.standard_normal(d)
        sk = RandK(d, params["K"])
        mq = mast_quadratic(A, b, v, sk)
        N = sk.n_outcomes
        step, p = 1 / (6 * mq.L_f * mq.L_S_max), 1 / N
        T = params["T"]
        plateau = np.empty((len(params["batches"]), params["seeds"]))
        for i, bsz in enumerate(params["batches"]):
            for j, s in enumerate(stats.derive_seeds(params["seed"] + i, params["seeds"])):
                xs = lsvrdsg_quadratic(A, b, v, sk, mq.x_star_D, step, T, bsz, p,
                                       seed=s % (2 ** 31 - 1), every=10).x
                plateau[i, j] = np.mean(np.sum((xs[len(xs) // 2:] - mq.x_star_D) ** 2, axis=1))
        return {"plateau": plateau, "N": np.array([N])}
    return params, cached("mast_lsvrdsg", params, compute)


@figure("mast_lsvrdsg", "mast",
        "L-SVRDSG (reconstructed): the plateau E||x_t - x*_D||^2 shrinks with the reference "
        "minibatch b roughly like (N-b)/(b(N-1)) and vanishes at b = N",
        claims=("MAST-C17",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, ax = new_figure()
    bs = np.array(params["batches"])
    N = int(data["N"][0])
    P = data["plateau"]
    med = np.median(P, axis=1)
    lo, hi = np.quantile(P, 0.25, axis=1), np.quantile(P, 0.75, axis=1)
    part = bs < N
    ax.errorbar(bs[part], med[part], yerr=[med[part] - lo[part], hi[part] - med[part]],
                fmt="o-", ms=4, capsize=2, label=f"median over {params['seeds']} seeds (IQR)")
    ref = (N - bs[part]) / (bs[part] * (N - 1))
    ax.loglog(bs[part], ref * med[0] / ref[0], "--", color="gray",
              label="(N-b)/(b(N-1)), matched at b=1")
    ax.set_xscale("log")
    ax.set_yscale("log")
    last = "0 (machine precision)" if med[-1] == 0 else f"{med[-1]:.1e}"
    ax.text(0.97, 0.95, f"b = N = {N}: plateau {last} (exact convergence)",
            transform=ax.transAxes, ha="right", va="top", fontsize=8)
    ax.set_xlabel("reference minibatch b (sketches)")
    ax.set_ylabel(r"plateau of $\|x_t - x^\star_D\|^2$")
    ax.set_title(f"L-SVRDSG, d={params['d']}, K={params['K']}, p=1/N, "
                 r"step $1/(6 L_f L_S^{max})$")
    ax.legend(fontsize=8, loc="lower left")
    return save(fig, out_dir, "mast_lsvrdsg")
