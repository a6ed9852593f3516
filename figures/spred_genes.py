"""spred (e): synthetic gene selection. n of a few hundred, d = 20 000 features (full mode), a
handful of informative ones with a nonlinear (XOR-like) response; spred's feature mask
V = diag(m) W1 in front of a small tanh network (NumPy, full-batch GD with weight decay kappa on
m, W1 and the head) against an L1-logistic baseline (certified oracle at relative gap 1e-8),
over repeated splits."""

import numpy as np

from sketchopt import oracles, stats

from ._registry import cached, figure, new_figure, save


def gene_data(n, d, n_informative, seed):
    """Standard normal features; label = sign(x_a + x_b + x_c^2 - 1 + x_d x_e)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    inf = np.sort(rng.choice(d, n_informative, replace=False))
    a, b, c, dd, e = (X[:, inf[i % n_informative]] for i in range(5))
    score = a + b + (c ** 2 - 1) + dd * e
    return X, np.where(score > 0, 1.0, -1.0), inf


def train_mask_net(X, y, kappa, hidden, step, T, seed):
    """Full-batch GD on mean logistic loss of tanh(X diag(m) W1 + b1) w2 + b2 with weight
    decay kappa on m, W1, w2 (spred's input mask: group lasso on the input columns of W1)."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    m = rng.normal(0, 1, d)  # the authors' mask init N(0, 1)
    W1 = rng.uniform(-1, 1, (d, hidden)) / np.sqrt(d)
    b1, w2, b2 = np.zeros(hidden), rng.normal(0, 1 / np.sqrt(hidden), hidden), 0.0
    for _ in range(T):
        Hh = np.tanh(X @ (m[:, None] * W1) + b1)
        z = Hh @ w2 + b2
        r = -y / (1 + np.exp(y * z)) / n  # d loss / d z
        dH = np.outer(r, w2) * (1 - Hh ** 2)
        G = X.T @ dH  # gradient w.r.t. the collapsed V = diag(m) W1
        gm = np.sum(G * W1, axis=1) + kappa * m
        gW1 = G * m[:, None] + kappa * W1
        w2 -= step * (Hh.T @ r + kappa * w2)
        b1 -= step * dH.sum(axis=0)
        b2 -= step * r.sum()
        m -= step * gm
        W1 -= step * gW1

    def predict(Xt):
        return np.sign(np.tanh(Xt @ (m[:, None] * W1) + b1) @ w2 + b2)
    return m, W1, predict


def _data(quick):
    params = {"n": 300, "d": 500 if quick else 20000, "informative": 5,
              "splits": 2 if quick else 5, "kappa": 0.08, "hidden": 8, "step": 2.0,
              "T": 3000 if quick else 5000, "l1_frac": 0.3, "seed": 17, "threshold": 1e-10}

    def compute():
        X, y, inf = gene_data(params["n"], params["d"], params["informative"], params["seed"])
        seeds = stats.derive_seeds(params["seed"], params["splits"])
        out = {k: [] for k in ("acc_spred", "acc_l1", "recall_spred", "recall_l1", "nsel_spred",
                               "nsel_l1")}
        for s in seeds:
            perm = np.random.default_rng(s).permutation(params["n"])
            tr, te = perm[: int(0.8 * params["n"])], perm[int(0.8 * params["n"]):]
            mu, sd = X[tr].mean(axis=0), X[tr].std(axis=0)
            Xtr, Xte = (X[tr] - mu) / sd, (X[te] - mu) / sd
            m, W1, predict = train_mask_net(Xtr, y[tr], params["kappa"], params["hidden"],
                                            params["step"], params["T"], s)
            sel = np.flatnonzero(np.abs(m) > params["threshold"])
            out["acc_spred"].append(np.mean(predict(Xte) == y[te]))
            out["recall_spred"].append(np.isin(inf, sel).mean())
            out["nsel_spred"].append(sel.size)
            lam = params["l1_frac"] * oracles.lam_max(Xtr, y[tr], "l1_logistic")
            o = oracles.l1_logistic(Xtr, y[tr], lam, tol=1e-8)
            out["acc_l1"].append(np.mean(np.sign(Xte @ o.x) == y[te]))
            out["recall_l1"].append(np.isin(inf, o.support).mean())
            out["nsel_l1"].append(o.support.size)
        return {k: np.array(v, dtype=float) for k, v in out.items()}
    return params, cached("spred_genes", params, compute)


@figure("spred_genes", "spred",
        "synthetic gene selection: spred feature mask + tanh network vs L1-logistic (certified): "
        "test accuracy, recall of the informative features, number selected, per split",
        claims=("SPRED-18",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    fig, axes = new_figure(1, 3, figsize=(12, 3.6))
    names = (("spred", "spred mask + net"), ("l1", "L1-logistic (certified, gap 1e-8)"))
    for ax, (key, label) in zip(axes, (("acc", "test accuracy"),
                                       ("recall", "recall of informative features"),
                                       ("nsel", "features selected"))):
        vals = [data[f"{key}_{n}"] for n, _ in names]
        ax.boxplot(vals, showmeans=True)
        for i, v in enumerate(vals):
            ax.plot(np.full(v.size, i + 1.0) + np.linspace(-0.08, 0.08, v.size), v, "o", ms=3,
                    alpha=0.6)
        ax.set_xticks([1, 2], [lab for _, lab in names], fontsize=8)
        ax.set_ylabel(label)
        if key == "recall":
            ax.set_ylim(-0.05, 1.05)
    fig.suptitle(f"Synthetic gene selection: n={params['n']}, d={params['d']}, "
                 f"{params['informative']} informative features (2 enter linearly), "
                 f"{params['splits']} train/test splits", fontsize=10)
    axes[0].set_title("test accuracy per split", fontsize=9)
    axes[1].set_title(f"mask kappa={params['kappa']:g}; L1 at {params['l1_frac']:g} lam_max",
                      fontsize=9)
    # spred's zeros are reached only geometrically (D7/D8): after T steps a slowly decaying
    # mask entry can still exceed the threshold and counts as selected
    axes[2].set_title(f"selected: |m_j| > {params['threshold']:g} after T={params['T']} GD "
                      "steps (spred), nonzero (L1)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return save(fig, out_dir, "spred_genes")
