"""spred (b): convergence of GD, SGD and Adam to the lasso solution, the predicted linear rate
of GD (from the D2 spectrum, derived) and the critical slow-down (check 21)."""

import numpy as np

from sketchopt import oracles
from sketchopt.methods import spred as S
from sketchopt.problems import regression_data

from ._registry import cached, figure, new_figure, save


def predicted_rate(X, y, w, kappa, step, support):
    """Per-step contraction of |w - w*| for GD near w* [D]: the slowest of the product modes
    |1 - step * eig(2 W^1/2 H_SS W^1/2)| and the zero modes (1 - step(kappa - |g_i|))^2."""
    n = X.shape[0]
    H = X.T @ X / n
    g = X.T @ (X @ w - y) / n
    r = np.sqrt(np.abs(w[support]))
    lam = np.linalg.eigvalsh(2 * r[:, None] * H[np.ix_(support, support)] * r[None, :])
    off = np.setdiff1d(np.arange(w.size), support)
    rates = list(np.abs(1 - step * lam)) + list((1 - step * (kappa - np.abs(g[off]))) ** 2)
    return max(rates)


def _data(quick):
    # Adam stops on ||grad L_rs||_inf <= adam_gtol: past it its second moment falls below
    # eps^2 and rounding noise drives steps of order lr (machine-dependent, not convergence)
    params = {"n": 100, "d": 40, "k": 5, "frac": 0.15, "T": 6000 if quick else 30000,
              "seed": 5, "T_crit": 20000 if quick else 200000, "adam_gtol": 1e-12}

    def compute():
        X, y, _, _ = regression_data(params["n"], params["d"], params["k"], rho=0.3, snr=5.0,
                                     seed=params["seed"])
        kappa = params["frac"] * oracles.lam_max(X, y)
        o = oracles.lasso(X, y, kappa)
        u0, W0 = S.initial_factors(params["d"], 1, seed=1)
        step = S.suggest_step(X, y, kappa, u0, W0, w_max=np.abs(o.x).max())
        out = {"step": step, "rate": predicted_rate(X, y, o.x, kappa, step, o.support)}
        runs = {"gd": dict(optimizer="gd", step=step),
                "sgd": dict(optimizer="sgd", step=step / 2, batch_size=10),
                "sgd_decay": dict(optimizer="sgd", step=step / 2, batch_size=10,
                                  decay_steps=100.0),
                "adam": dict(optimizer="adam", step=1e-2, decay_steps=300.0,
                             gtol=params["adam_gtol"], check_every=10)}
        for name, kw in runs.items():
            tr = S.spred(X, y, kappa, T=params["T"], u0=u0, W0=W0, V_ref=o.x, record_every=10,
                         seed=2, **kw)
            out[name] = tr.stats["dist_inf"]
            out[f"{name}_t"] = tr.steps
        # critical slow-down: 1-D with a = kappa, balanced start
        tr = S.spred(np.ones((1, 1)), np.array([1.0]), 1.0, step=0.1, T=params["T_crit"],
                     u0=np.array([0.7]), W0=np.array([0.7]), record_every=10, keep_x=True)
        out["crit_t"], out["crit_w"] = tr.steps, np.abs(tr.x[:, 0])
        return out
    return params, cached("spred_convergence", params, compute)


@figure("spred_convergence", "spred",
        "max|w_t - w*| for spred GD, SGD (constant and decaying step) and coupled Adam with "
        "GD's predicted linear rate (derived), and the 1/(2 eta t) critical slow-down",
        claims=("SPRED-10", "SPRED-12", "SPRED-20", "SPRED-21"))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, (ax, ax2) = new_figure(1, 2, figsize=(10, 4))
    t = data["gd_t"]
    labels = {"gd": "GD", "sgd": "SGD B=10, constant step",
              "sgd_decay": "SGD B=10, step/(1+t/100)",
              "adam": rf"Adam (coupled wd), stopped at $\|\nabla L_{{rs}}\|_\infty \leq$ "
                      f"{params['adam_gtol']:g}"}
    for name, lab in labels.items():
        ax.semilogy(data[f"{name}_t"], np.maximum(data[name], 1e-17), label=lab)
    rho = float(data["rate"])
    # the rate is local: anchor the line where GD first comes within 1e-3 of w*, and stop
    # drawing it below the axis
    gd = data["gd"]
    near = np.flatnonzero(gd <= 1e-3)
    k0 = int(near[0]) if near.size else t.size // 4
    line = gd[k0] * rho ** (t[k0:] - t[k0])
    shown = line >= 1e-17
    ax.semilogy(t[k0:][shown], line[shown], "k--", lw=1,
                label=f"predicted GD rate {rho:.5f}/step [derived]")
    ax.set_ylim(1e-17, 10)
    ax.set_xlabel("iteration t")
    ax.set_ylabel(r"$\max_i |w_{t,i} - w^\star_i|$")
    ax.legend(fontsize=7)
    ax.set_title(f"lasso n={params['n']}, d={params['d']}, kappa={params['frac']:g} kmax",
                 fontsize=9)
    ct, cw = data["crit_t"][1:], data["crit_w"][1:]
    ax2.loglog(ct, cw, label="GD, 1-D, |a| = kappa")
    ax2.loglog(ct, 1 / (1 / cw[0] + 2 * 0.1 * (ct - ct[0])), "k--", lw=1,
               label=r"$1/(1/w_0 + 2\eta t)$")
    ax2.set_xlabel("iteration t")
    ax2.set_ylabel("|w_t|")
    ax2.legend(fontsize=8)
    ax2.set_title("critical slow-down: algebraic, not geometric", fontsize=9)
    return save(fig, out_dir, "spred_convergence")
