"""RAMDA figures on the subproblem solver: (c) PG linear rate, (d) early stop table,
(e) ProxGen's batch-size plateau."""

import numpy as np

from sketchopt import stats
from sketchopt.methods import ramda as R
from sketchopt.methods import ramda_subproblem as SP

from ._registry import cached, figure, new_figure, save


@figure("ramda_pg_rate", "ramda",
        "(c) PG on the RAMDA subproblem: Q(Z_j)-Q* against the Theorem 1 bound, and iterations "
        "to ||s_j|| <= eps against log10(1/eps)",
        claims=("RAMDA-C4", "RAMDA-C5"))
def render_rate(quick=False, out_dir="figures_out"):
    params = {"quick": quick, "v": 1, "spreads": [2.0, 8.0, 32.0]}

    def compute():
        from theory_checks.ramda import BASE_SEED, random_subproblem
        rng = np.random.default_rng(BASE_SEED + 40)
        out = {}
        for k, spread in enumerate(params["spreads"]):
            pen, W0, V, P = random_subproblem(rng, spread=spread)
            ex = SP.exact_solve(W0, V, P, 1.0, pen)
            qs = SP.q_objective(ex, W0, V, P, 1.0, pen)
            Z0 = rng.standard_normal(W0.size) * 3
            res = SP.pg_solve(Z0, W0, V, P, 1.0, pen, rule="p7", eps=1e-13, max_iters=3000,
                              step="global")
            j = np.arange(1, res.n_iter + 1)
            out[f"gap{k}"] = np.maximum(res.q_hist - qs, 1e-17)
            out[f"bound{k}"] = 0.5 * P.max() * (1 - P.min() / P.max()) ** j * np.sum((Z0 - ex) ** 2)
            out[f"s{k}"] = res.s_hist
            out[f"kappa{k}"] = P.max() / P.min()
        return out
    data = cached("ramda_pg_rate", params, compute)
    fig, axes = new_figure(1, 2, figsize=(10, 4))
    eps = 10.0 ** -np.arange(2, 13)
    for k in range(len(params["spreads"])):
        c = f"C{k}"
        g = data[f"gap{k}"]
        kap = float(data[f"kappa{k}"])
        axes[0].semilogy(np.arange(1, g.size + 1), g, color=c, label=f"L/mu = {kap:.1f}")
        axes[0].semilogy(np.arange(1, g.size + 1), data[f"bound{k}"], color=c, ls="--")
        s = data[f"s{k}"]
        its = [np.argmax(s <= e) + 1 if np.any(s <= e) else np.nan for e in eps]
        axes[1].plot(np.log10(1 / eps), its, "o-", color=c, ms=3, label=f"L/mu = {kap:.1f}")
    axes[0].set_ylim(1e-16, None)
    axes[0].set_xlabel("PG iteration j")
    axes[0].set_ylabel("Q(Z_j) - Q*   (dashed: (L/2)(1-mu/L)^j ||Z0-Z*||^2)")
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("log10(1/eps)")
    axes[1].set_ylabel("iterations to ||s_j|| <= eps")
    axes[1].legend(fontsize=8)
    fig.suptitle("Algorithm 2: linear rate (Theorem 1), global step 1/max P", fontsize=10)
    return save(fig, out_dir, "ramda_pg_rate")


@figure("ramda_early_stop", "ramda",
        "(d) Table 1 analogue: PG with early stop (rtol 1e-8, >= 2 iterations) vs no early stop "
        "(100 iterations): final objective, sparsity, PG iterations",
        claims=("RAMDA-C20",))
def render_early_stop(quick=False, out_dir="figures_out"):
    T = 1500 if quick else 10000
    params = {"quick": quick, "T": T, "v": 1}

    def compute():
        from theory_checks.ramda import BASE_SEED, group_instance
        inst = group_instance(True)
        X, y, pen = inst["X"], inst["y"], inst["pen"]
        sizes = pen.groups.sizes
        sd = stats.derive_seeds(BASE_SEED, 7)[6]
        rows = []
        for m in ("ramda", "proxgen"):
            for rule in ("fixed", "code"):
                tr = R.run(m, X, y, pen, T, batch=32, seed=sd, eta=1e-2, stages=3, rule=rule)
                sp = 1 - (tr.stats["supp_hat"][-1] * sizes).sum() / sizes.sum()
                rows.append([tr.stats["F"][-1] - inst["F"], sp, tr.stats["pg_iters"].mean(),
                             tr.seconds])
        return {"rows": np.array(rows)}
    data = cached("ramda_early_stop", params, compute)
    fig, ax = new_figure(figsize=(7, 2.2))
    ax.axis("off")
    names = ["RAMDA, no early stop", "RAMDA, early stop", "ProxGen, no early stop",
             "ProxGen, early stop"]
    cells = [[n, f"{r[0]:.2e}", f"{r[1]:.3f}", f"{r[2]:.1f}", f"{r[3]:.3f}"]
             for n, r in zip(names, data["rows"])]
    tab = ax.table(cellText=cells, colLabels=["run", "F(W_T) - F*", "weighted sparsity",
                                              "mean PG iters", "seconds"], loc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.auto_set_column_width(col=list(range(5)))
    tab.scale(1, 1.3)
    ax.set_title(f"PG stopping rules, group-lasso logistic, T = {T} (3 stages)", fontsize=9)
    return save(fig, out_dir, "ramda_early_stop")


@figure("ramda_plateau", "ramda",
        "(e) Theorem 4: ProxGen's stationarity plateau mean dist(0,dF(W_t))^2 against the batch "
        "size, with the slope -1 reference",
        claims=("RAMDA-C22",))
def render_plateau(quick=False, out_dir="figures_out"):
    T = 600 if quick else 5000
    bs = [8, 32, 128, 512]
    params = {"quick": quick, "T": T, "bs": bs, "v": 1}

    def compute():
        from theory_checks.ramda import BASE_SEED, group_instance
        inst = group_instance(True)
        X, y, pen = inst["X"], inst["y"], inst["pen"]
        seeds = stats.derive_seeds(BASE_SEED + 22, 3 if quick else 10)
        out = np.empty((len(seeds), len(bs)))
        for i, sd in enumerate(seeds):
            for j, b in enumerate(bs):
                tr = R.run("proxgen", X, y, pen, T, batch=b, seed=int(sd), eta=1e-2,
                           stat_every=5)
                out[i, j] = (tr.stats["dist_W"] ** 2)[tr.steps > T // 2].mean()
        return {"plateau": out}
    data = cached("ramda_plateau", params, compute)
    med = np.median(data["plateau"], axis=0)
    fig, ax = new_figure()
    for row in data["plateau"]:
        ax.loglog(bs, row, "o", color="0.7", ms=3)
    slope = stats.loglog_slope(bs, med).slope
    ax.loglog(bs, med, "o-", color="C0", label=f"median over seeds (slope {slope:.2f})")
    ref = med[0] * (np.array(bs) / bs[0]) ** -1.0
    ax.loglog(bs, ref, "k--", lw=1, label="slope -1 (Theorem 4's O(1/b))")
    ax.set_xlabel("batch size b")
    ax.set_ylabel("mean dist(0, dF(W_t))^2, second half of the run")
    ax.set_title(f"ProxGen, lr 1e-2, T = {T}", fontsize=9)
    ax.legend(fontsize=8)
    return save(fig, out_dir, "ramda_plateau")
