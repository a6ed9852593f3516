"""A straightforward PyTorch (CPU, float64) RAMDA, for the speed comparison in ``ramda.py``.

The same update as :func:`sketchopt.methods.ramda.run_kernel` for RAMDA on the logistic loss
with a group-L1 penalty, one stage (constant eta and c, no restart or ramp), PG started at
W_{t-1} with per-group steps 1/max_{i in g} P_i, the authors' stopping rule (relative decrease
< rtol from the 2nd iteration on, at most ``max_iters``) and no screening; written the way an
author's PyTorch code looks: tensor ops per step, a Python loop over steps and PG iterations.
Imported only when torch imports; torch is not a dependency of sketchopt.
"""

import math

import numpy as np
import torch

from sketchopt.methods.ramda_subproblem import penalty_arrays

F64 = torch.float64


def _group_norms(Z, gid, n_groups):
    return torch.zeros(n_groups, dtype=F64).index_add_(0, gid, Z * Z).sqrt()


def pg(Z, W0, V, P, alpha, thr, gid, n_groups, max_iters=100, rtol=1e-8):
    """Algorithm 2 on Q(Z) = alpha psi(Z) + <V, Z - W0> + 1/2 ||Z - W0||_P^2 from Z."""
    pmax = torch.zeros(n_groups, dtype=F64).scatter_reduce_(0, gid, P, "amax",
                                                            include_self=False)
    theta = 1.0 / pmax                       # per-group step
    tau = theta * alpha * thr                # prox threshold of each group
    theta = theta[gid]

    def q(Z):
        D = Z - W0
        return (V @ D + 0.5 * torch.sum(P * D * D)
                + alpha * torch.sum(thr * _group_norms(Z, gid, n_groups))).item()
    q_prev, it = q(Z), 0
    for j in range(1, max_iters + 1):
        Y = Z - theta * (V + P * (Z - W0))
        nrm = _group_norms(Y, gid, n_groups)
        scale = torch.where(nrm > tau, 1.0 - tau / nrm, torch.zeros_like(nrm))
        Z = scale[gid] * Y                   # group soft-threshold
        qj, it = q(Z), j
        if j >= 2 and (q_prev - qj) / (abs(qj) + 1.0) < rtol:
            break
        q_prev = qj
    return Z, it


def ramda(X, y, penalty, batches, eta=1e-2, c=0.1, eps=1e-6, max_iters=100, rtol=1e-8):
    """RAMDA (Algorithm 1) on the minibatches ``batches`` (a (T, b) array or T index arrays).

    Returns (W_t, What_t, PG iterations) for t = 1..T as NumPy arrays, like ``run_twin``.
    """
    X = torch.as_tensor(np.asarray(X, dtype=float))
    y = torch.as_tensor(np.asarray(y, dtype=float))
    d = X.shape[1]
    pa = penalty_arrays(penalty, d)
    G = pa.n_groups
    gid = np.empty(d, dtype=np.int64)        # group of each coordinate
    gid[pa.order] = np.repeat(np.arange(G), np.diff(pa.ptr))
    gid = torch.as_tensor(gid)
    thr = torch.as_tensor(pa.thr)
    W = torch.zeros(d, dtype=F64)
    W0, V, U, alpha = W.clone(), torch.zeros(d, dtype=F64), torch.zeros(d, dtype=F64), 0.0
    Ws, Whats, its = [], [], []
    for t, idx in enumerate(batches, start=1):
        idx = torch.as_tensor(np.asarray(idx, dtype=np.int64))
        Xb, yb = X[idx], y[idx]
        grad = Xb.T @ (-yb * torch.sigmoid(-yb * (Xb @ W))) / idx.numel()
        s = eta * math.sqrt(t)
        alpha += s
        V += s * grad
        U += s * grad * grad
        P = U.pow(1.0 / 3.0) + eps           # eps outside the cube root
        What, it = pg(W, W0, V, P, alpha, thr, gid, G, max_iters, rtol)
        W = (1.0 - c) * W + c * What
        Ws.append(W)
        Whats.append(What)
        its.append(it)
    return torch.stack(Ws).numpy(), torch.stack(Whats).numpy(), np.array(its)
