"""MAST (d): test accuracy of x_ERM and x*_D under random pruning (analogue of the paper's
Figure 1, C21), on synthetic logistic data and on a5a-like dimensions (n = 6400, d = 123)."""

import numpy as np

from sketchopt import stats
from sketchopt.mast_objective import logistic_saa_minimizer
from sketchopt.problems import logistic_data
from sketchopt.sketches import RandK

from ._registry import cached, figure, new_figure, save

L2 = 1e-2


def _a5a_like(n, d, rng):
    """Binary features with ~11% density (a5a has 123 binary features, ~14 active per row)."""
    X = (rng.random((2 * n, d)) < 0.11).astype(float)
    w = np.zeros(d)
    w[rng.choice(d, 20, replace=False)] = rng.standard_normal(20) * 1.5
    p = 1 / (1 + np.exp(-(X @ w - np.mean(X @ w))))
    y = np.where(rng.random(2 * n) < p, 1.0, -1.0)
    return X, y


def _accuracies(Xte, yte, x, masks):
    """Test accuracy of every pruned model ``s o x`` (rescaled Rand-K, shift 0)."""
    return np.mean(np.sign(Xte @ (masks * x).T) == yte[:, None], axis=0)


def _problem_data(name, n, d, qs, m_saa, n_masks, seed):
    rng = np.random.default_rng(seed)
    if name == "synthetic":
        X, y, _, _ = logistic_data(2 * n, d, 5, rho=0.3, label_noise=0.05, seed=rng)
    else:
        X, y = _a5a_like(n, d, rng)
    Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
    x_erm = logistic_saa_minimizer(Xtr, ytr, L2, np.zeros(d), np.ones((1, d)))
    out = {f"{name}_unpruned": np.array([np.mean(np.sign(Xte @ x_erm) == yte)])}
    seeds = stats.derive_seeds(seed, 2 * len(qs))
    for i, q in enumerate(qs):
        sk = RandK(d, max(1, int(round(q * d))))
        train = sk.sample_values(m_saa, seeds[2 * i])
        x_D = logistic_saa_minimizer(Xtr, ytr, L2, np.zeros(d), train, x0=x_erm)
        masks = sk.sample_values(n_masks, seeds[2 * i + 1])
        out[f"{name}_erm_{i}"] = _accuracies(Xte, yte, x_erm, masks)
        out[f"{name}_mast_{i}"] = _accuracies(Xte, yte, x_D, masks)
    return out


def _data(quick):
    params = {"qs": [0.25, 0.5, 0.75] if quick else [0.1, 0.25, 0.5, 0.75],
              "problems": [["synthetic", 300, 20, 100, 200]] if quick else
              [["synthetic", 500, 20, 1000, 1000], ["a5a-like", 6400, 123, 200, 1000]],
              "seed": 34}

    def compute():
        out = {}
        for k, (name, n, d, m_saa, n_masks) in enumerate(params["problems"]):
            out.update(_problem_data(name, n, d, params["qs"], m_saa, n_masks,
                                     params["seed"] + k))
        return out
    return params, cached("mast_pruning", params, compute)


@figure("mast_pruning", "mast",
        "Test accuracy under random Rand-K pruning (rescaled; 200 masks in quick mode, 1000 "
        "in full, as in each panel title) of the ERM solution and of the MAST solution x*_D "
        "(SAA) trained for the same sparsity level q",
        claims=("MAST-C21",))
def render(quick=False, out_dir="figures_out"):
    params, data = _data(quick)
    probs = params["problems"]
    fig, axes = new_figure(1, len(probs), figsize=(6.4 * len(probs), 4.2), squeeze=False)
    qs = params["qs"]
    for ax, (name, n, d, m_saa, n_masks) in zip(axes[0], probs):
        pos = np.arange(len(qs))
        erm = [data[f"{name}_erm_{i}"] for i in range(len(qs))]
        mast = [data[f"{name}_mast_{i}"] for i in range(len(qs))]
        b1 = ax.boxplot(erm, positions=pos - 0.18, widths=0.3, patch_artist=True,
                        showfliers=False)
        b2 = ax.boxplot(mast, positions=pos + 0.18, widths=0.3, patch_artist=True,
                        showfliers=False)
        for box, c in ((b1, "C0"), (b2, "C1")):
            for patch in box["boxes"]:
                patch.set_facecolor(c)
                patch.set_alpha(0.6)
        ax.axhline(data[f"{name}_unpruned"][0], color="gray", ls=":", lw=1)
        ax.set_xticks(pos, [f"q={q:g}" for q in qs])
        ax.set_ylabel("test accuracy of the pruned model")
        ax.set_title(f"{name}: n={n}, d={d}, {n_masks} masks")
        ax.legend([b1["boxes"][0], b2["boxes"][0], ax.lines[-1]],
                  ["ERM x*, pruned", "MAST x*_D (SAA), pruned", "ERM, unpruned"],
                  fontsize=8, loc="lower right")
    return save(fig, out_dir, "mast_pruning")
