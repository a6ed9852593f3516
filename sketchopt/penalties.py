"""Separable penalties: L1 and weighted group L1.

Each penalty exposes ``value(w)``, ``prox(z, step)`` (the Euclidean prox of ``step * psi``),
``prox_diag(z, p, step)`` (the prox in the diagonal metric ``diag(p)``:
``argmin_w step*psi(w) + 1/2 (w - z)' diag(p) (w - z)``) and ``subdiff_distance(w, grad)``
(``dist(-grad, d psi(w))``, the stationarity measure of ``f + psi`` when ``grad = grad f(w)``).

Groups are given as a list of integer index arrays that partition ``range(d)``, or as an int
``size`` for contiguous groups of that size. Internally they are flattened to ``order`` (the
indices group after group) and ``ptr`` (group ``g`` is ``order[ptr[g]:ptr[g+1]]``), the form
the Numba kernels take.
"""

import numbers

import numpy as np
from numba import njit

from ._validation import as_float_array, check_scalar


# ----------------------------------------------------------------------------------- groups
class Groups:
    """A partition of ``range(d)`` into groups, flattened for the kernels.

    Attributes
    ----------
    order : ndarray of int64
        Feature indices, group after group.
    ptr : ndarray of int64, shape (n_groups + 1,)
        Group ``g`` is ``order[ptr[g]:ptr[g + 1]]``.
    sizes : ndarray of int64
        Number of features per group.
    """

    def __init__(self, groups, d):
        d = check_scalar(d, "d", low=1, integer=True)
        self.d = d
        if isinstance(groups, (numbers.Integral, np.integer)) and not isinstance(groups, bool):
            size = int(groups)
            if size < 1 or d % size:
                raise ValueError(f"groups: an int group size must divide d={d}, got {size}")
            self.order = np.arange(d, dtype=np.int64)
            self.sizes = np.full(d // size, size, dtype=np.int64)
        else:
            try:
                parts = [np.asarray(g).reshape(-1) for g in groups]
            except TypeError:
                raise ValueError("groups must be an int or a list of index arrays") from None
            if not parts or any(p.size == 0 for p in parts):
                raise ValueError("groups must be a non-empty list of non-empty index arrays")
            if any(not np.issubdtype(p.dtype, np.integer) for p in parts):
                raise ValueError("groups must contain integer indices")
            order = np.concatenate(parts).astype(np.int64)
            if order.size != d or not np.array_equal(np.sort(order), np.arange(d)):
                raise ValueError(f"groups must partition range({d}) (each index exactly once)")
            self.order = order
            self.sizes = np.array([p.size for p in parts], dtype=np.int64)
        self.ptr = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        self.singletons = bool(np.all(self.sizes == 1))

    @property
    def n_groups(self):
        return self.sizes.size

    def __iter__(self):
        for g in range(self.n_groups):
            yield self.order[self.ptr[g]:self.ptr[g + 1]]

    def norms(self, w):
        """Euclidean norm of each group of ``w`` (or of each group of rows of a 2-D ``w``).

        Scaled by each group's largest entry, so it neither overflows nor underflows where
        the norm itself is representable (``1e200`` stays ``1e200``, ``1e-200`` stays
        ``1e-200``). Keeps a floating dtype (float64 or longdouble).
        """
        w = np.asarray(w)
        if not np.issubdtype(w.dtype, np.floating):
            w = w.astype(np.float64)
        a = np.abs(w[self.order])
        if a.ndim > 1:
            a = a.reshape(a.shape[0], -1)
            big = a.max(axis=1)
        else:
            if self.singletons:
                return a
            big = a
        if not self.singletons:
            big = np.maximum.reduceat(big, self.ptr[:-1])
        scale = np.where(big > 0, big, 1.0)
        per_row = np.repeat(scale, self.sizes)
        q = a / (per_row[:, None] if a.ndim > 1 else per_row)
        sq = q * q
        if sq.ndim > 1:
            sq = sq.sum(axis=1)
        if not self.singletons:
            sq = np.add.reduceat(sq, self.ptr[:-1])
        return np.where(big > 0, scale * np.sqrt(sq), 0.0).astype(a.dtype, copy=False)

    def expand(self, per_group):
        """Repeat one value per group onto the features (in feature order)."""
        out = np.empty(self.d)
        out[self.order] = np.repeat(per_group, self.sizes)
        return out


def group_weights(groups, weights):
    """Per-group weights: ``None`` -> 1, ``"sqrt"`` -> sqrt(n_g), or a positive array."""
    if weights is None:
        return np.ones(groups.n_groups)
    if isinstance(weights, str):
        if weights != "sqrt":
            raise ValueError(f"weights must be None, 'sqrt' or an array, got {weights!r}")
        return np.sqrt(groups.sizes.astype(np.float64))
    w = as_float_array(weights, "weights", ndim=1)
    if w.size != groups.n_groups:
        raise ValueError(f"weights must have one entry per group ({groups.n_groups}), "
                         f"got {w.size}")
    if np.any(w <= 0):
        raise ValueError("weights must be > 0")
    return w


# ---------------------------------------------------------------------------------- kernels
@njit(cache=True)
def _soft_threshold(z, t):
    out = np.empty_like(z)
    for i in range(z.size):
        a = abs(z[i]) - t[i]
        out[i] = np.sign(z[i]) * a if a > 0.0 else 0.0
    return out


@njit(cache=True)
def _group_soft_threshold(z, thresholds, order, ptr):
    out = np.zeros_like(z)
    for g in range(ptr.size - 1):
        nrm = 0.0
        for k in range(ptr[g], ptr[g + 1]):
            nrm += z[order[k]] ** 2
        nrm = np.sqrt(nrm)
        if nrm > thresholds[g]:
            scale = 1.0 - thresholds[g] / nrm
            for k in range(ptr[g], ptr[g + 1]):
                out[order[k]] = scale * z[order[k]]
    return out


@njit(cache=True)
def _secular_root(a, p, tau):
    """Root theta > 0 of phi(theta) = sum_i (a_i / (p_i theta + tau))^2 - 1, a_i = p_i z_i.

    phi is strictly decreasing and convex on [0, inf) with phi(0) > 0 (caller checks
    ||a|| > tau), so Newton from the left of the root increases monotonically to it; a
    bisection bracket guards against rounding. Stops when the bracket cannot shrink.
    """
    pmin = p.min()
    pmax = p.max()
    na = np.sqrt(np.sum(a * a))
    lo = max(0.0, (na - tau) / pmax)      # phi(lo) >= 0 since p_i lo + tau <= ||a||
    hi = (na - tau) / pmin                # phi(hi) <= 0 since p_i hi + tau >= ||a||
    theta = lo
    for _ in range(200):
        phi = -1.0
        dphi = 0.0
        for i in range(a.size):
            q = 1.0 / (p[i] * theta + tau)
            s = a[i] * q
            phi += s * s
            dphi -= 2.0 * s * s * p[i] * q
        if phi > 0.0:
            lo = theta
        elif phi < 0.0:
            hi = theta
        else:
            return theta
        nxt = theta - phi / dphi if dphi < 0.0 else 0.5 * (lo + hi)
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if nxt == theta or hi - lo <= 4e-16 * hi:
            return nxt
        theta = nxt
    return theta


@njit(cache=True)
def _group_prox_diag(z, p, thresholds, order, ptr):
    """argmin_w sum_g thr_g ||w_g|| + 1/2 (w - z)' diag(p) (w - z), group by group."""
    out = np.zeros_like(z)
    for g in range(ptr.size - 1):
        idx = order[ptr[g]:ptr[g + 1]]
        pg = p[idx]
        a = pg * z[idx]
        if np.sqrt(np.sum(a * a)) <= thresholds[g]:
            continue
        theta = _secular_root(a, pg, thresholds[g])
        for k in range(idx.size):
            out[idx[k]] = a[k] * theta / (pg[k] * theta + thresholds[g])
    return out


# -------------------------------------------------------------------------------- penalties
def _check_lam(lam):
    return check_scalar(lam, "lam", low=0.0)


def _check_step(step):
    return check_scalar(step, "step", low=0.0, low_open=True)


class L1:
    """``psi(w) = lam * ||w||_1``.

    Parameters
    ----------
    lam : float
        Non-negative penalty level.
    """

    def __init__(self, lam):
        self.lam = _check_lam(lam)

    def value(self, w):
        """Penalty value at ``w``."""
        return self.lam * float(np.abs(np.asarray(w, dtype=np.float64)).sum())

    def prox(self, z, step=1.0):
        """Soft-thresholding of ``z`` at ``step * lam``."""
        z = as_float_array(z, "z", ndim=1)
        return _soft_threshold(z, np.full(z.size, _check_step(step) * self.lam))

    def prox_diag(self, z, p, step=1.0):
        """Prox in the metric diag(p): soft-thresholding of ``z_i`` at ``step * lam / p_i``."""
        z = as_float_array(z, "z", ndim=1)
        p = _check_metric(p, z.size)
        return _soft_threshold(z, _check_step(step) * self.lam / p)

    def subdiff_distance(self, w, grad):
        """``dist(-grad, lam * d||w||_1)`` in the Euclidean norm."""
        w, grad = _pair(w, grad)
        on = w != 0
        res = np.where(on, grad + self.lam * np.sign(w), np.maximum(np.abs(grad) - self.lam, 0))
        return float(np.linalg.norm(res))


class GroupL1:
    """``psi(w) = lam * sum_g c_g ||w_g||_2`` with group weights ``c_g``.

    Parameters
    ----------
    lam : float
        Non-negative penalty level.
    groups : int or list of index arrays
        A partition of ``range(d)``; an int means contiguous groups of that size.
    d : int
        Dimension (required when ``groups`` is an int; otherwise inferred).
    weights : None, "sqrt" or array
        Group weights ``c_g``: 1, ``sqrt(n_g)``, or given positive numbers.
    """

    def __init__(self, lam, groups, d=None, weights=None):
        self.lam = _check_lam(lam)
        if d is None:
            if isinstance(groups, (numbers.Integral, np.integer)):
                raise ValueError("d is required when groups is an int")
            d = int(sum(np.asarray(g).size for g in groups))
        self.groups = groups if isinstance(groups, Groups) else Groups(groups, d)
        self.weights = group_weights(self.groups, weights)

    @property
    def thresholds(self):
        """``lam * c_g`` per group."""
        return self.lam * self.weights

    def value(self, w):
        """Penalty value at ``w``."""
        return float(self.thresholds @ self.groups.norms(w))

    def prox(self, z, step=1.0):
        """Group soft-thresholding at ``step * lam * c_g``."""
        z = self._vec(z, "z")
        return _group_soft_threshold(z, _check_step(step) * self.thresholds,
                                     self.groups.order, self.groups.ptr)

    def prox_diag(self, z, p, step=1.0):
        """Prox in the metric diag(p), exact up to one scalar root per group.

        A group is zero iff ``||p_g * z_g|| <= step*lam*c_g``; otherwise
        ``w_i = p_i z_i theta / (p_i theta + tau)`` with ``theta = ||w_g||`` the unique root of
        ``sum_i (p_i z_i / (p_i theta + tau))^2 = 1`` (Newton safeguarded by bisection, to
        the last bit of the bracket).
        """
        z = self._vec(z, "z")
        p = _check_metric(p, z.size)
        return _group_prox_diag(z, p, _check_step(step) * self.thresholds,
                                self.groups.order, self.groups.ptr)

    def subdiff_distance(self, w, grad):
        """``dist(-grad, d psi(w))`` in the Euclidean norm."""
        w, grad = _pair(self._vec(w, "w"), grad)
        nw = self.groups.norms(w)
        thr = self.thresholds
        sq = 0.0
        for g, idx in enumerate(self.groups):
            if nw[g] > 0:
                sq += np.sum((grad[idx] + thr[g] * w[idx] / nw[g]) ** 2)
            else:
                sq += max(np.linalg.norm(grad[idx]) - thr[g], 0.0) ** 2
        return float(np.sqrt(sq))

    def _vec(self, z, name):
        z = as_float_array(z, name, ndim=1)
        if z.size != self.groups.d:
            raise ValueError(f"{name} must have length {self.groups.d}, got {z.size}")
        return z


def _check_metric(p, size):
    p = as_float_array(p, "p", ndim=1)
    if p.size != size:
        raise ValueError(f"p must have length {size}, got {p.size}")
    if np.any(p <= 0):
        raise ValueError("p must be > 0 entrywise")
    return p


def _pair(w, grad):
    w = as_float_array(w, "w", ndim=1)
    grad = as_float_array(grad, "grad", ndim=1)
    if grad.size != w.size:
        raise ValueError(f"grad must have length {w.size}, got {grad.size}")
    return w, grad


def _warmup():
    z = np.array([1.0, -0.2, 0.5, 2.0])
    L1(0.3).prox_diag(z, np.ones(4))
    pen = GroupL1(0.3, 2, d=4, weights="sqrt")
    pen.prox(z)
    pen.prox_diag(z, np.array([1.0, 2.0, 0.5, 1.5]))
