"""Monte Carlo in seed blocks: many runs split into work units that each own one seed."""

import numpy as np


def seed_blocks(base_seed, n_runs, block_size, **params):
    """Work units covering ``n_runs`` runs in blocks of ``block_size``.

    Each unit is ``dict(params, n_runs=<block length>, seed=<derived seed>)``; the seeds come
    from :func:`sketchopt.stats.derive_seeds`, whose k-th seed does not depend on how many
    blocks there are, so growing ``n_runs`` by whole blocks reuses every stored block.

    Parameters
    ----------
    base_seed : int
        One seed for the whole Monte Carlo.
    n_runs : int
        Total number of runs (>= 1).
    block_size : int
        Runs per unit (>= 1); the last block may be shorter.
    **params
        Parameters shared by every unit (JSON-like).

    Returns
    -------
    list of dict
    """
    from sketchopt.stats import derive_seeds
    for name, v in (("n_runs", n_runs), ("block_size", block_size)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    n_blocks = -(-int(n_runs) // int(block_size))
    seeds = derive_seeds(base_seed, n_blocks)
    sizes = [block_size] * (n_blocks - 1) + [n_runs - block_size * (n_blocks - 1)]
    return [dict(params, n_runs=int(m), seed=int(s)) for m, s in zip(sizes, seeds)]


def concat(results, name):
    """Concatenate the array ``name`` of every block result along the first axis."""
    missing = [k for k, r in enumerate(results) if r is None]
    if missing:
        raise ValueError(f"results has failed blocks at {missing}; rerun them first")
    return np.concatenate([np.asarray(r[name]) for r in results])
