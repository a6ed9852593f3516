"""Noise models for the auxiliary-information methods: exact, additive correlated, minibatch.

All randomness is drawn up front by NumPy (so a kernel and its twin see the same draws) and laid
out by *call slot* of Algorithm 1:

* ``nf[t], nh[t]`` (additive) or ``rf[t], rh[t]`` (minibatch rows): the shared sample
  ``xi_t`` of the outer step ``t``, used for ``g_f`` and ``g_h`` at the anchor (and, for the MVR
  recursions, at the previous anchor too: same sample at both points);
* ``nhi[t, k]`` / ``rhi[t, k]``: the sample of the k-th inner h-gradient.

Additive noise has per-coordinate standard deviations ``s_f``, ``s_h`` and correlation ``rho``
between the f- and h-noise of the same sample, so ``E||g_{f-h} - (grad f - grad h)||^2 =
d (s_f^2 + s_h^2 - 2 rho s_f s_h)`` (D6, derived). Minibatch noise samples rows uniformly with
replacement; ``shared=True`` uses the same rows for f and h (only possible when they have the same
number of rows, e.g. flipped labels on the same inputs).
"""

from dataclasses import dataclass

import numpy as np

from .._validation import check_scalar, check_seed

KINDS = ("exact", "additive", "minibatch")


@dataclass(frozen=True)
class Draws:
    """Pre-drawn randomness of one run (empty trailing dimensions mean "not used")."""
    nf: np.ndarray   # (T, d or 0)
    nh: np.ndarray   # (T, d or 0)
    nhi: np.ndarray  # (T, K, d or 0)
    rf: np.ndarray   # (T, batch_f or 0) int64
    rh: np.ndarray   # (T, batch_h or 0) int64
    rhi: np.ndarray  # (T, K, batch_h or 0) int64


def _check_noise_block(arr, name, lead, d):
    """A float block of shape ``lead + (d or 0,)``, finite, C-contiguous."""
    arr = np.asarray(arr)
    if arr.ndim != len(lead) + 1 or arr.shape[:-1] != lead or arr.shape[-1] not in (0, d):
        raise ValueError(f"draws.{name} must have shape {lead + (d,)} or {lead + (0,)}, "
                         f"got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.floating) and arr.size:
        raise ValueError(f"draws.{name} must hold floats, got dtype {arr.dtype}")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"draws.{name} contains NaN or infinite values")
    return arr


def _check_row_block(arr, name, lead, n):
    """Row indices of shape ``lead + (batch,)``, each in ``[0, n)``; ``batch = 0`` (no rows)
    is the only choice when ``n = 0`` (a quadratic, which the kernels would silently treat as
    exact gradients)."""
    arr = np.asarray(arr)
    if arr.ndim != len(lead) + 1 or arr.shape[:-1] != lead:
        raise ValueError(f"draws.{name} must have shape {lead + ('batch',)}, got {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"draws.{name} must hold integer row indices, got dtype {arr.dtype}")
    if arr.shape[-1] > 0 and n == 0:
        raise ValueError(f"draws.{name} holds rows but the problem is not a finite sum")
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise ValueError(f"draws.{name} has row indices outside [0, {n})")
    return np.ascontiguousarray(arr, dtype=np.int64)


def check_draws(draws, T, K, d, n_f=0, n_h=0):
    """Validate pre-drawn randomness against a run of ``T`` outer and ``K`` inner steps.

    The kernels index the arrays without bounds checks, so a wrongly shaped array would give
    silently wrong numbers; every array is checked against ``(T, d or 0)``, ``(T, K, d or 0)``,
    ``(T, batch)`` and ``(T, K, batch)``, rows against ``[0, n)``.

    Parameters
    ----------
    draws : Draws
    T, K, d : int
        Outer steps, inner steps, dimension.
    n_f, n_h : int
        Rows of f and h (0 for a quadratic).

    Returns
    -------
    Draws
        The same draws as contiguous float64 / int64 arrays.

    Raises
    ------
    ValueError
        Naming ``draws`` and the offending field.
    """
    if not isinstance(draws, Draws):
        raise ValueError(f"draws must be a Draws, got {type(draws).__name__}")
    return Draws(_check_noise_block(draws.nf, "nf", (T,), d),
                 _check_noise_block(draws.nh, "nh", (T,), d),
                 _check_noise_block(draws.nhi, "nhi", (T, K), d),
                 _check_row_block(draws.rf, "rf", (T,), n_f),
                 _check_row_block(draws.rh, "rh", (T,), n_h),
                 _check_row_block(draws.rhi, "rhi", (T, K), n_h))


def check_single_draws(draws, T, d, n=0):
    """Validate ``(noise (T, d or 0), rows (T, batch))`` of a method on one function (see
    :func:`check_draws`); returns contiguous float64 / int64 arrays."""
    if not isinstance(draws, tuple) or len(draws) != 2:
        raise ValueError("draws must be a tuple (noise, rows)")
    return (_check_noise_block(draws[0], "noise", (T,), d),
            _check_row_block(draws[1], "rows", (T,), n))


@dataclass(frozen=True)
class NoiseModel:
    """How stochastic gradients are produced.

    Use the constructors :meth:`exact`, :meth:`additive` and :meth:`minibatch`.
    """
    kind: str = "exact"
    s_f: float = 0.0
    s_h: float = 0.0
    rho: float = 0.0
    batch_f: int = 0
    batch_h: int = 0
    shared: bool = False

    @classmethod
    def exact(cls):
        """Exact gradients."""
        return cls("exact")

    @classmethod
    def additive(cls, s_f, s_h, rho=0.0):
        """Gaussian noise ``s_f z1`` on g_f and ``s_h (rho z1 + sqrt(1 - rho^2) z2)`` on g_h
        (per coordinate) for the shared sample; fresh ``s_h z`` for inner h-gradients."""
        return cls("additive", check_scalar(s_f, "s_f", low=0.0), check_scalar(s_h, "s_h", low=0.0),
                   check_scalar(rho, "rho", low=-1.0, high=1.0))

    @classmethod
    def minibatch(cls, batch_f, batch_h=None, shared=False):
        """Uniform rows with replacement; ``shared`` reuses f's rows for h's anchor gradient."""
        batch_f = check_scalar(batch_f, "batch_f", low=1, integer=True)
        batch_h = batch_f if batch_h is None else check_scalar(batch_h, "batch_h", low=1,
                                                                integer=True)
        if shared and batch_h != batch_f:
            raise ValueError("batch_h must equal batch_f when shared=True")
        return cls("minibatch", batch_f=batch_f, batch_h=batch_h, shared=bool(shared))

    def sigma2_diff(self, d):
        """``E||(g_f - g_h) - (grad f - grad h)||^2`` of the shared sample (additive only, D6)."""
        if self.kind == "exact":
            return 0.0
        if self.kind != "additive":
            raise ValueError("sigma2_diff is closed-form only for additive noise")
        return d * (self.s_f ** 2 + self.s_h ** 2 - 2 * self.rho * self.s_f * self.s_h)

    def draw(self, T, K, d, n_f=0, n_h=0, seed=0):
        """Draws for ``T`` outer steps of ``K`` inner steps (``n_f``, ``n_h``: rows of f, h)."""
        rng = check_seed(seed)
        i0 = np.zeros((T, 0), dtype=np.int64)
        z0, zi = np.zeros((T, 0)), np.zeros((T, K, 0))
        if self.kind == "exact":
            return Draws(z0, z0, zi, i0, i0, np.zeros((T, K, 0), dtype=np.int64))
        if self.kind == "additive":
            z1 = rng.standard_normal((T, d))
            z2 = rng.standard_normal((T, d))
            zi = rng.standard_normal((T, K, d))
            c = np.sqrt(max(1.0 - self.rho ** 2, 0.0))
            return Draws(self.s_f * z1, self.s_h * (self.rho * z1 + c * z2), self.s_h * zi,
                         i0, i0, np.zeros((T, K, 0), dtype=np.int64))
        if n_f < 1 or n_h < 1:
            raise ValueError("minibatch noise needs finite-sum problems (n_f, n_h >= 1)")
        if self.shared and n_f != n_h:
            raise ValueError(f"shared minibatches need f and h with the same rows, got n_f={n_f}, "
                             f"n_h={n_h}")
        rf = rng.integers(0, n_f, size=(T, self.batch_f))
        rh = rf.copy() if self.shared else rng.integers(0, n_h, size=(T, self.batch_h))
        rhi = rng.integers(0, n_h, size=(T, K, self.batch_h))
        return Draws(z0, z0, np.zeros((T, K, 0)), rf, rh, rhi)

    def draw_single(self, T, d, n=0, which="f", seed=0):
        """Draws ``(noise (T, d|0), rows (T, b|0))`` for a method on one function (f or h)."""
        if which not in ("f", "h"):
            raise ValueError(f"which must be 'f' or 'h', got {which!r}")
        rng = check_seed(seed)
        if self.kind == "exact":
            return np.zeros((T, 0)), np.zeros((T, 0), dtype=np.int64)
        if self.kind == "additive":
            s = self.s_f if which == "f" else self.s_h
            return s * rng.standard_normal((T, d)), np.zeros((T, 0), dtype=np.int64)
        if n < 1:
            raise ValueError("minibatch noise needs a finite-sum problem (n >= 1)")
        b = self.batch_f if which == "f" else self.batch_h
        return np.zeros((T, 0)), rng.integers(0, n, size=(T, b))
