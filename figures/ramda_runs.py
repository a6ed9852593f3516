"""RAMDA figures from stage-wise runs: (a) identification, (b) objective gap, (f) nuclear rank."""

import numpy as np

from sketchopt.methods import ramda as R

from ._registry import cached, figure, new_figure, save

METHODS = ("ramda", "rmda", "proxgen", "proxsgd")
LABELS = {"ramda": "RAMDA", "rmda": "RMDA", "proxgen": "ProxGen", "proxsgd": "ProxSGD"}


def _runs(quick):
    from theory_checks.ramda import stage_plan
    T, S = stage_plan(quick)
    params = {"quick": quick, "T": T, "stages": S, "methods": METHODS, "v": 1}

    def compute():
        from theory_checks.ramda import group_instance, staged_run
        inst = group_instance(quick)
        sizes = inst["pen"].groups.sizes
        out = {"F_star": inst["F"], "ends": staged_run("ramda", quick).meta["stage_ends"],
               "sparsity_star": 1 - (inst["S"] * sizes).sum() / sizes.sum()}
        for m in METHODS:
            tr = staged_run(m, quick)
            out[f"{m}_exact"] = (tr.stats["supp_hat"] == inst["S"]).all(axis=1)
            out[f"{m}_sparsity"] = 1 - (tr.stats["supp_hat"] * sizes).sum(axis=1) / sizes.sum()
            out[f"{m}_steps"] = tr.steps
            out[f"{m}_F"] = tr.stats["F"]
        return out
    return params, cached("ramda_runs", params, compute)


def _mark_restarts(ax, ends):
    for e in ends[:-1]:
        ax.axvline(e, color="0.6", ls=":", lw=1)


@figure("ramda_identification", "ramda",
        "(a) exact group support of What_t and weighted group sparsity over iterations: RAMDA "
        "and RMDA identify S* and keep it, ProxGen and ProxSGD oscillate (restarts dotted)",
        claims=("RAMDA-C14", "RAMDA-C15", "RAMDA-C17"))
def render_identification(quick=False, out_dir="figures_out"):
    params, data = _runs(quick)
    fig, axes = new_figure(2, 1, figsize=(7, 6), sharex=True)
    t = np.arange(1, params["T"] + 1)
    win = 100
    for k in reversed(range(len(METHODS))):  # draw RAMDA/RMDA last, on top
        m = METHODS[k]
        frac = data[f"{m}_exact"].mean()
        prox = m.startswith("prox")
        axes[0].plot(t, data[f"{m}_sparsity"], color=f"C{k}", lw=0.6 if prox else 1.6,
                     alpha=0.6 if prox else 1.0,
                     label=f"{LABELS[m]} (exact support {frac:.0%} of steps)")
        roll = np.convolve(data[f"{m}_exact"].astype(float), np.ones(win) / win, mode="valid")
        axes[1].plot(t[win - 1:], roll, color=f"C{k}", lw=1.2, label=LABELS[m])
    axes[0].axhline(data["sparsity_star"], color="k", ls="--", lw=1, label="W* (oracle)")
    axes[0].set_ylabel("weighted group sparsity of $\\hat W_t$")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].legend(handles[::-1], labels[::-1], fontsize=7, loc="lower right")
    axes[1].set_ylim(-0.05, 1.05)
    axes[1].set_ylabel(f"fraction of the last {win} steps\nwith supp($\\hat W_t$) = S*")
    axes[1].set_xlabel("iteration t (one minibatch of 32 each)")
    for ax in axes:
        _mark_restarts(ax, data["ends"])
    axes[0].set_title("Group-lasso logistic regression: structure identification "
                      "(dotted: restarts)", fontsize=9)
    return save(fig, out_dir, "ramda_identification")


@figure("ramda_objective_gap", "ramda",
        "(b) relative objective gap (F(W_t)-F*)/F* per stage at equal gradient evaluations",
        claims=("RAMDA-C16",))
def render_gap(quick=False, out_dir="figures_out"):
    _, data = _runs(quick)
    fig, ax = new_figure()
    for k, m in enumerate(METHODS):
        gap = (data[f"{m}_F"] - data["F_star"]) / abs(data["F_star"])
        ax.semilogy(data[f"{m}_steps"][1:], np.maximum(gap[1:], 1e-12), color=f"C{k}",
                    label=LABELS[m])
    _mark_restarts(ax, data["ends"])
    ax.set_xlabel("minibatch gradient evaluations")
    ax.set_ylabel("(F(W_t) - F*) / F*")
    ax.set_title("Objective gap; stages end at the dotted lines (eta x0.1)", fontsize=9)
    ax.legend(fontsize=8)
    return save(fig, out_dir, "ramda_objective_gap")


@figure("ramda_nuclear_rank", "ramda",
        "(f) nuclear norm: rank of What_t and of W_t over iterations vs rank(W*)",
        claims=("RAMDA-C21",))
def render_nuclear(quick=False, out_dir="figures_out"):
    T = 3000 if quick else 20000
    params = {"quick": quick, "T": T, "v": 1}

    def compute():
        from sketchopt import stats
        from theory_checks.ramda import BASE_SEED, nuclear_instance
        inst = nuclear_instance(quick)
        out = {"r_star": inst["rank"]}
        for m, eta in (("ramda", 1e-2), ("rmda", 0.05)):
            tr = R.run(m, inst["X"], inst["y"], inst["pen"], T, loss="least_squares",
                       batch=32, eta=eta, c=0.1, seed=stats.derive_seeds(BASE_SEED, 8)[7])
            out[f"{m}_hat"], out[f"{m}_W"] = tr.stats["nnz_hat"], tr.stats["nnz_W"]
        return out
    data = cached("ramda_nuclear_rank", params, compute)
    fig, ax = new_figure()
    t = np.arange(1, T + 1)
    for k, m in enumerate(("ramda", "rmda")):
        ax.plot(t, data[f"{m}_hat"] + 0.05 * k, color=f"C{k}", label=f"{LABELS[m]}: $\\hat W_t$")
        ax.plot(t, data[f"{m}_W"] + 0.05 * k, color=f"C{k}", ls=":", label=f"{LABELS[m]}: $W_t$")
    ax.axhline(int(data["r_star"]), color="k", ls="--", lw=1, label="rank(W*)")
    ax.set_xscale("log")
    ax.set_xlabel("iteration t")
    ax.set_ylabel("rank (singular values > 1e-12 $\\sigma_{max}$)")
    ax.set_title("Nuclear-norm matrix regression, one stage, c = 0.1 (RMDA shifted +0.05)",
                 fontsize=9)
    ax.legend(fontsize=8)
    return save(fig, out_dir, "ramda_nuclear_rank")
