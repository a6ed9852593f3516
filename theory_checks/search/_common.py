"""Small helpers shared by the space modules: vector parameters of variable dimension."""

import numpy as np

from ._engine import Inadmissible


def head(inst, name, d):
    """The first ``d`` entries of the vector parameter ``name``."""
    return np.asarray(inst[name], dtype=float)[:d]


def offset(inst, name, d, scale=None):
    """``scale * u`` with ``u`` the first ``d`` entries of ``name`` (a direction in
    [-1, 1]^d); the zero direction is not an instance."""
    u = head(inst, name, d)
    if not np.any(u):
        raise Inadmissible(f"{name} is the zero vector")
    return u * (1.0 if scale is None else inst[scale])


def as_offset(vec, size):
    """``(u, r)`` with ``vec = r * u``, ``max |u| = 1`` and ``u`` zero-padded to ``size``: how a
    fixed instance's vector is written as an :func:`offset` parameter."""
    vec = np.asarray(vec, dtype=float)
    r = float(np.abs(vec).max())
    u = np.zeros(size)
    u[:vec.size] = vec / r
    return u.tolist(), r


def padded(vec, size, fill=0.0):
    """``vec`` zero-padded (or ``fill``-padded) to ``size`` entries, as a list."""
    out = np.full(size, fill, dtype=float)
    out[:len(vec)] = vec
    return out.tolist()
