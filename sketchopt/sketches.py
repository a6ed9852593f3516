"""Unbiased diagonal sketches of the MAST paper: Bernoulli, Rand-K and Perm-K.

Every sketch here is diagonal, ``S = Diag(s)`` with ``s_i = scale_i * c_i`` and ``c_i`` the
indicator that coordinate ``i`` is kept; ``E[S] = I`` fixes ``scale_i = 1/P(c_i = 1)``. A draw
is stored as an index set (the kept coordinates), never as a dense d x d matrix.

Because ``S`` is diagonal, every moment needed by the theory is a moment of the indicators:
``E[S'AS] = A o E[s s']`` (Hadamard product) and ``E[s_i s_j s_k]`` follows from the joint
inclusion probabilities, which have closed forms for all three families (spec D4, D5, D7).
"""

import itertools
from math import comb

import numpy as np
from numba import njit

from ._validation import check_scalar, check_vector

#: enumeration is refused above this many outcomes (it would be slower than sampling)
MAX_OUTCOMES = 200_000


# ----------------------------------------------------------------------------- kernels

@njit(cache=True)
def _draw_bernoulli(p, T, seed):
    """``T`` independent Bernoulli masks: kept indices (T, d) padded with -1, and counts."""
    np.random.seed(seed)
    d = p.shape[0]
    idx = np.full((T, d), -1, dtype=np.int64)
    cnt = np.zeros(T, dtype=np.int64)
    for t in range(T):
        k = 0
        for i in range(d):
            if np.random.random() < p[i]:
                idx[t, k] = i
                k += 1
        cnt[t] = k
    return idx, cnt


@njit(cache=True)
def _draw_subsets(d, K, groups, T, seed):
    """``T`` rounds of a uniformly random permutation cut into ``groups`` blocks of ``K``.

    ``groups = 1`` gives Rand-K (a uniform K-subset, partial Fisher-Yates: O(K) per draw);
    ``groups * K = d`` gives Perm-K (a random partition into equal blocks).
    Returns indices of shape (T, groups, K).
    """
    np.random.seed(seed)
    perm = np.arange(d)
    out = np.empty((T, groups, K), dtype=np.int64)
    for t in range(T):
        # the shuffled prefix is uniform whatever order perm was left in by earlier draws
        for j in range(groups * K):
            r = j + np.random.randint(d - j)
            tmp = perm[j]
            perm[j] = perm[r]
            perm[r] = tmp
        for g in range(groups):
            for k in range(K):
                out[t, g, k] = perm[g * K + k]
    return out


def draw_bernoulli_twin(p, uniforms):
    """NumPy twin of the Bernoulli kernel given the uniforms (T, d): kept-index lists."""
    return [np.flatnonzero(u < p) for u in uniforms]


def draw_subsets_twin(d, K, groups, rng, T):
    """NumPy reference sampler (a different generator, same distribution as the kernel)."""
    out = np.empty((T, groups, K), dtype=np.int64)
    for t in range(T):
        out[t] = rng.permutation(d)[: groups * K].reshape(groups, K)
    return out


# ----------------------------------------------------------------------------- classes

class _DiagonalSketch:
    """Common moments of an unbiased diagonal sketch ``s = scale * c``.

    Subclasses define ``scale`` (d,), ``_pi1`` (d,), ``_pi2`` (d, d), ``_pi3_slice(i)``
    (d, d) = ``P(c_i c_j c_k = 1)`` and ``_outcome_masks()``.
    """

    d: int
    scale: np.ndarray

    # moments ---------------------------------------------------------------------------
    def outer_moment(self):
        """``E[s s']`` (d x d); ``E[S'AS] = A o E[s s']``."""
        return np.outer(self.scale, self.scale) * self._pi2()

    def second_moment_diag(self):
        """Diagonal of ``E[S'S]`` (``E[S'S]`` is diagonal for a diagonal sketch)."""
        return self.scale ** 2 * self._pi1()

    def second_moment(self):
        """``E[S'S]`` as a d x d matrix (Diag(1/p) for Bernoulli, (d/K) I for Rand-K)."""
        return np.diag(self.second_moment_diag())

    def sandwich(self, A):
        """``E[S'AS] = A o E[s s']`` in closed form (spec D7)."""
        A = np.asarray(A, dtype=np.float64)
        if A.shape != (self.d, self.d):
            raise ValueError(f"A must have shape {(self.d, self.d)}, got {A.shape}")
        return A * self.outer_moment()

    def third_moment_slice(self, i):
        """``E[s_i s_j s_k]`` over (j, k), from the joint inclusion probabilities."""
        return self.scale[i] * np.outer(self.scale, self.scale) * self._pi3_slice(i)

    @property
    def L_D(self):
        """``lambda_max(E[S'S])``."""
        return float(self.second_moment_diag().max())

    @property
    def mu_D(self):
        """``lambda_min(E[S'S])``."""
        return float(self.second_moment_diag().min())

    @property
    def L_S_max(self):
        """``ess sup lambda_max(S'S) = max_i scale_i^2`` (every coordinate can be kept)."""
        return float((self.scale ** 2).max())

    # enumeration -----------------------------------------------------------------------
    def enumerate(self, max_outcomes=MAX_OUTCOMES):
        """All outcomes with their probabilities.

        Returns
        -------
        values : ndarray of shape (k, d)
            The diagonal ``s`` of each outcome.
        weights : ndarray of shape (k,)
            Probabilities (summing to 1).
        """
        n = self.n_outcomes
        if n > max_outcomes:
            raise ValueError(f"{type(self).__name__} has {n} outcomes, more than "
                             f"max_outcomes={max_outcomes}; use Monte Carlo instead")
        masks, weights = self._outcome_masks()
        return masks * self.scale, weights

    def values_from_indices(self, idx, cnt=None):
        """Dense diagonals (n, d) from index sets (n, k); entries beyond ``cnt`` (or -1) are
        padding. Used by tests and Monte Carlo checks, not inside the methods."""
        idx = np.asarray(idx, dtype=np.int64)
        n, k = idx.shape
        valid = idx >= 0
        if cnt is not None:
            valid &= np.arange(k)[None, :] < np.asarray(cnt)[:, None]
        rows = np.broadcast_to(np.arange(n)[:, None], idx.shape)[valid]
        cols = idx[valid]
        vals = np.zeros((n, self.d))
        vals[rows, cols] = self.scale[cols]
        return vals


    def sample_values(self, T, seed):
        """``T`` draws as dense diagonals (T, d), for Monte Carlo checks and tests."""
        idx, cnt = as_index_sets(self, T, seed)
        return self.values_from_indices(idx, cnt)


class Bernoulli(_DiagonalSketch):
    """Independent Bernoulli sparsification ``S = Diag(c_i / p_i)`` (spec D4a).

    Parameters
    ----------
    p : float or ndarray of shape (d,)
        Keep probabilities, each in (0, 1].
    d : int, optional
        Dimension (required when ``p`` is a scalar).
    """

    def __init__(self, p, d=None):
        if np.ndim(p) == 0:
            if d is None:
                raise ValueError("d must be given when p is a scalar")
            d = check_scalar(d, "d", low=1, integer=True)
            check_scalar(p, "p", low=0.0, high=1.0, low_open=True)
            p = np.full(d, float(p))
        p = check_vector(p, "p", size=d)
        if np.any(p <= 0) or np.any(p > 1):
            raise ValueError(f"p must lie in (0, 1], got min {p.min():.3g}, max {p.max():.3g}")
        self.p = p
        self.d = p.shape[0]
        self.scale = 1.0 / p

    def _pi1(self):
        return self.p.copy()

    def _pi2(self):
        P = np.outer(self.p, self.p)
        np.fill_diagonal(P, self.p)
        return P

    def _pi3_slice(self, i):
        q = self.p.copy()
        q[i] = 1.0  # given c_i = 1, the others stay independent
        Q = np.outer(q, q)
        np.fill_diagonal(Q, q)
        return self.p[i] * Q

    @property
    def n_outcomes(self):
        return 2 ** int(np.sum(self.p < 1.0))

    def _outcome_masks(self):
        free = np.flatnonzero(self.p < 1.0)
        k = free.size
        bits = ((np.arange(2 ** k)[:, None] >> np.arange(k)[None, :]) & 1).astype(float)
        masks = np.ones((2 ** k, self.d))
        masks[:, free] = bits
        pf = self.p[free]
        weights = np.prod(np.where(bits > 0, pf, 1.0 - pf), axis=1)
        return masks, weights

    def sample(self, T, seed):
        """``T`` masks as (indices (T, d) padded with -1, counts (T,))."""
        T = check_scalar(T, "T", low=0, integer=True)
        return _draw_bernoulli(self.p, T, _seed_int(seed))

    def __repr__(self):
        return f"Bernoulli(p in [{self.p.min():.3g}, {self.p.max():.3g}], d={self.d})"


class RandK(_DiagonalSketch):
    """Random-K: ``S = (d/K) sum_{i in Omega} e_i e_i'``, Omega a uniform K-subset (D4b)."""

    def __init__(self, d, K):
        self.d = check_scalar(d, "d", low=1, integer=True)
        self.K = check_scalar(K, "K", low=1, high=self.d, integer=True)
        self.scale = np.full(self.d, self.d / self.K)

    def _incl(self, m):
        """P(a fixed set of m distinct coordinates is inside Omega)."""
        return comb(self.d - m, self.K - m) / comb(self.d, self.K) if m <= self.K else 0.0

    def _pi1(self):
        return np.full(self.d, self._incl(1))

    def _pi2(self):
        P = np.full((self.d, self.d), self._incl(2))
        np.fill_diagonal(P, self._incl(1))
        return P

    def _pi3_slice(self, i):
        P = np.full((self.d, self.d), self._incl(3))
        P[i, :] = P[:, i] = self._incl(2)
        np.fill_diagonal(P, self._incl(2))
        P[i, i] = self._incl(1)
        return P

    @property
    def c(self):
        """Off-diagonal factor of ``E[S'AS] = c A + (d/K - c) Diag(A)``."""
        return 1.0 if self.d == 1 else self.d * (self.K - 1) / (self.K * (self.d - 1))

    @property
    def n_outcomes(self):
        return comb(self.d, self.K)

    def _outcome_masks(self):
        subsets = np.array(list(itertools.combinations(range(self.d), self.K)))
        masks = np.zeros((len(subsets), self.d))
        np.put_along_axis(masks, subsets, 1.0, axis=1)
        return masks, np.full(len(subsets), 1.0 / len(subsets))

    def sample(self, T, seed):
        """``T`` uniform K-subsets, indices of shape (T, K)."""
        T = check_scalar(T, "T", low=0, integer=True)
        return _draw_subsets(self.d, self.K, 1, T, _seed_int(seed))[:, 0, :]

    def __repr__(self):
        return f"RandK(d={self.d}, K={self.K})"


class PermK:
    """Perm-K for M nodes: a random partition of [d] into M blocks of q = d/M (spec D4c).

    Node i's sketch is ``M sum_{j in block i} e_j e_j'``: marginally Rand-q with scale
    d/q = M, and ``(1/M) sum_i S_i = I`` for every draw.
    """

    def __init__(self, d, M):
        self.d = check_scalar(d, "d", low=1, integer=True)
        self.M = check_scalar(M, "M", low=1, high=self.d, integer=True)
        if self.d % self.M:
            raise ValueError(f"M must divide d (d={self.d}, M={self.M})")
        self.q = self.d // self.M

    def marginal(self):
        """The sketch of one node: ``RandK(d, q)``."""
        return RandK(self.d, self.q)

    @property
    def n_outcomes(self):
        n = 1
        for i in range(self.M):
            n *= comb(self.d - i * self.q, self.q)
        return n

    def enumerate(self, max_outcomes=MAX_OUTCOMES):
        """All ordered partitions: values (k, M, d) (node diagonals) and weights (k,)."""
        n = self.n_outcomes
        if n > max_outcomes:
            raise ValueError(f"PermK has {n} outcomes, more than max_outcomes={max_outcomes}")
        out = []

        def rec(left, blocks):
            if not left:
                out.append(blocks)
                return
            for blk in itertools.combinations(left, self.q):
                rec([j for j in left if j not in blk], blocks + [blk])
        rec(list(range(self.d)), [])
        vals = np.zeros((len(out), self.M, self.d))
        for r, blocks in enumerate(out):
            for i, blk in enumerate(blocks):
                vals[r, i, list(blk)] = self.M
        return vals, np.full(len(out), 1.0 / len(out))

    def sample(self, T, seed):
        """``T`` partitions, indices of shape (T, M, q)."""
        T = check_scalar(T, "T", low=0, integer=True)
        return _draw_subsets(self.d, self.q, self.M, T, _seed_int(seed))

    def __repr__(self):
        return f"PermK(d={self.d}, M={self.M})"


def _seed_int(seed):
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2 ** 31 - 1))
    check_scalar(seed, "seed", low=0, integer=True)
    return int(seed) % (2 ** 31 - 1)


def as_index_sets(sketch, T, seed):
    """Draws of a single-node sketch as padded index sets ``(idx (T, k), cnt (T,))``."""
    if isinstance(sketch, Bernoulli):
        return sketch.sample(T, seed)
    if isinstance(sketch, RandK):
        idx = sketch.sample(T, seed)
        return idx, np.full(idx.shape[0], sketch.K, dtype=np.int64)
    raise ValueError(f"sketch must be Bernoulli or RandK, got {type(sketch).__name__}")


def _warmup():
    Bernoulli(0.5, 3).sample(2, 0)
    RandK(4, 2).sample(2, 0)
    PermK(4, 2).sample(2, 0)
