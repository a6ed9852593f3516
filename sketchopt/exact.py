"""Exact first and second moments of linear stochastic recursions.

For ``e_{t+1} = B_xi e_t + c_xi`` with ``xi`` drawn i.i.d. from a finite distribution (or
given by its moments), the mean ``m_t = E e_t`` and second moment ``P_t = E e_t e_t'`` obey
an affine recursion on ``s_t = (m_t, vec P_t)``::

    m_{t+1} = E[B] m_t + E[c]
    P_{t+1} = E[B P_t B'] + E[B m_t c' + c m_t' B'] + E[c c']

With row-major ``vec``: ``vec(B P B') = (B kron B) vec P``, ``vec(B m c') = (B kron c) m`` and
``vec(c m' B') = (c kron B) m``. The operator is formed once (one matrix product over all
outcomes), so a step costs O(d^4) independently of the number of outcomes.
"""

import numpy as np

from ._validation import as_float_array


class LinearRecursion:
    """Exact moment propagation for ``e_{t+1} = B_xi e_t + c_xi``.

    Parameters
    ----------
    B : ndarray of shape (k, d, d)
        The k possible matrices.
    c : ndarray of shape (k, d)
        The matching offsets.
    weights : ndarray of shape (k,)
        Probabilities (non-negative, summing to 1 within 1e-12).

    See Also
    --------
    LinearRecursion.from_moments : build from closed-form moments instead of outcomes.
    """

    def __init__(self, B, c, weights):
        B = as_float_array(B, "B", ndim=3)
        k, d, d2 = B.shape
        if d != d2:
            raise ValueError(f"B must have shape (k, d, d), got {B.shape}")
        c = as_float_array(c, "c", ndim=2)
        if c.shape != (k, d):
            raise ValueError(f"c must have shape {(k, d)}, got {c.shape}")
        w = as_float_array(weights, "weights", ndim=1)
        if w.shape != (k,) or np.any(w < 0) or abs(w.sum() - 1.0) > 1e-12:
            raise ValueError("weights must be k non-negative probabilities summing to 1")
        wB = w[:, None, None] * B
        EB = wB.sum(axis=0)
        Ec = w @ c
        # sum_k w_k B_ij B_ab, rearranged to the (ia, jb) layout of kron(B, B)
        BB = (wB.reshape(k, d * d).T @ B.reshape(k, d * d)).reshape(d, d, d, d)
        EBB = BB.transpose(0, 2, 1, 3).reshape(d * d, d * d)
        # E[kron(B, c)] has entries B_ij c_a at row (i, a), column j
        Bc = np.einsum("kij,ka->iaj", wB, c).reshape(d * d, d)
        cB = np.einsum("ka,kij->aij", w[:, None] * c, B).reshape(d * d, d)
        Ecc = np.einsum("k,ka,kb->ab", w, c, c).reshape(d * d)
        self._set(EB, EBB, Bc + cB, Ec, Ecc)

    @classmethod
    def from_moments(cls, EB, EBB, cross, Ec, Ecc):
        """Build from moments: ``E[B]``, ``E[kron(B,B)]``, ``E[kron(B,c) + kron(c,B)]``,
        ``E[c]`` and ``E[vec(c c')]`` (row-major vec)."""
        obj = cls.__new__(cls)
        EB = as_float_array(EB, "EB", ndim=2)
        d = EB.shape[0]
        obj._set(EB, as_float_array(EBB, "EBB", ndim=2).reshape(d * d, d * d),
                 as_float_array(cross, "cross", ndim=2).reshape(d * d, d),
                 as_float_array(Ec, "Ec", ndim=1).reshape(d),
                 as_float_array(Ecc, "Ecc").reshape(d * d))
        return obj

    def _set(self, EB, EBB, cross, Ec, Ecc):
        d = EB.shape[0]
        self.d = d
        self.EB, self.EBB, self.cross, self.Ec, self.Ecc = EB, EBB, cross, Ec, Ecc
        n = d + d * d
        T = np.zeros((n, n))
        T[:d, :d] = EB
        T[d:, :d] = cross
        T[d:, d:] = EBB
        self.operator = T
        self.offset = np.concatenate([Ec, Ecc])

    def _state(self, m0, P0):
        d = self.d
        m0 = as_float_array(m0, "m0", ndim=1)
        if m0.shape != (d,):
            raise ValueError(f"m0 must have length {d}")
        P0 = np.outer(m0, m0) if P0 is None else as_float_array(P0, "P0", ndim=2)
        if P0.shape != (d, d):
            raise ValueError(f"P0 must have shape {(d, d)}")
        return np.concatenate([m0, P0.reshape(-1)])

    def moments(self, m0, T, P0=None):
        """Means and second moments for ``t = 0..T``.

        Parameters
        ----------
        m0 : ndarray of shape (d,)
            Initial mean (the initial point when deterministic).
        T : int
            Number of steps.
        P0 : ndarray of shape (d, d), optional
            Initial second moment; default ``m0 m0'`` (deterministic start).

        Returns
        -------
        means : ndarray of shape (T+1, d)
        second : ndarray of shape (T+1, d, d)
        """
        if int(T) != T or T < 0:
            raise ValueError(f"T must be a non-negative integer, got {T}")
        d = self.d
        s = self._state(m0, P0)
        out = np.empty((int(T) + 1, s.size))
        out[0] = s
        for t in range(int(T)):
            s = self.operator @ s + self.offset
            out[t + 1] = s
        return out[:, :d], out[:, d:].reshape(-1, d, d)

    def expected_quadratic(self, m0, T, H=None, P0=None):
        """``E[e_t' H e_t]`` for ``t = 0..T`` (``H = I`` gives ``E||e_t||^2``)."""
        _, P = self.moments(m0, T, P0)
        if H is None:
            return np.trace(P, axis1=1, axis2=2)
        H = as_float_array(H, "H", ndim=2)
        return np.einsum("tij,ji->t", P, H)

    def spectral_radius(self):
        """Spectral radius of the moment operator (< 1 iff the moments converge)."""
        return float(np.max(np.abs(np.linalg.eigvals(self.operator))))

    def stationary(self):
        """Fixed point ``(m_inf, P_inf)``; raises if the moments do not converge."""
        rho = self.spectral_radius()
        if rho >= 1.0:
            raise ValueError(f"moment recursion does not converge (spectral radius {rho:.6g})")
        n = self.operator.shape[0]
        s = np.linalg.solve(np.eye(n) - self.operator, self.offset)
        d = self.d
        P = s[d:].reshape(d, d)
        return s[:d], (P + P.T) / 2


def sample_recursion(B, c, weights, e0, T, n_runs, seed):
    """Brute-force Monte Carlo of the same recursion: returns ``e_t`` of shape
    (n_runs, T+1, d). Used to test :class:`LinearRecursion` and as a sampled twin."""
    B = np.asarray(B, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    rng = np.random.default_rng(seed)
    draws = rng.choice(len(weights), size=(n_runs, T), p=np.asarray(weights) / np.sum(weights))
    e = np.empty((n_runs, T + 1, B.shape[1]))
    e[:, 0] = e0
    for t in range(T):
        k = draws[:, t]
        e[:, t + 1] = np.einsum("rij,rj->ri", B[k], e[:, t]) + c[k]
    return e
