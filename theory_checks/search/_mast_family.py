"""The MAST instance family: quadratics, shifts, starts and diagonal sketches as parameters.

``A`` comes from one of the claim module's generators (``gaussian``: the spec's
``QQ'/d + alpha I`` of instance k; ``rotated``: ``Q diag(geomspace(1, cond)) Q'``; or
``diagonal``: ``diag(linspace(1, cond))`` with permuted entries), then is
deformed: blended towards its diagonal (``diag`` in [0, 1]) and raised to a power (``power``;
0 gives the identity, 1 leaves A unchanged), so the claims' fixed instances are points of the
family and diagonal, identity and badly conditioned matrices are reachable. Every MAST bound
depends on the shift and the start only through ``v - x*`` and ``x_0 - x*_D`` (the problem is
translation invariant), which are offset parameters ``r u``.
"""

import numpy as np

from sketchopt.sketches import Bernoulli, RandK

from ..mast import _problem, _rng, _rotated_spd
from ._common import as_offset, offset, padded
from ._engine import Inadmissible, Param

DMAX = 10
MAX_COND = 1e6  # CLAIMS.md: instances keep the condition number <= 1e6


def problem_params(dmax=8, default_d=7):
    """Parameters of A (dimension, generator, instance, deformations)."""
    return (Param("d", 2, dmax, "int", default=default_d),
            Param("family", kind="choice", choices=("gaussian", "rotated", "diagonal"),
                  default="gaussian"),
            Param("k", 0, 300, "int", default=0),
            Param("alpha", 1e-2, 10.0, "log", default=0.1),
            Param("cond", 1.0, 1e4, "log", default=3.0),
            Param("diag", 0.0, 1.0, default=0.0),
            Param("power", 0.0, 2.0, default=1.0))


SKETCH = (Param("sketch", kind="choice", choices=("randk", "bernoulli"), default="randk"),
          Param("K", 1, DMAX, "int", default=2),
          # Bernoulli p_i = pc exp(pspread t_i), clipped to CLAIMS.md's [0.05, 0.95]: nearly
          # uniform and widely spread probabilities are both reachable
          Param("pc", 0.05, 0.95, default=0.5),
          Param("pspread", 1e-3, 3.0, "log", default=1e-3),
          Param("pt", -1.0, 1.0, size=DMAX, default=[0.0] * DMAX))
P_MIN, P_MAX = 0.05, 0.95


def bernoulli_p(inst):
    """Keep probabilities of the instance's Bernoulli sketch."""
    t = np.asarray(inst["pt"][:inst["d"]], dtype=float)
    return np.clip(inst["pc"] * np.exp(inst["pspread"] * t), P_MIN, P_MAX)


def offset_params(name):
    """An offset ``r u``: direction ``u`` in [-1, 1]^d and scale ``r``."""
    return (Param(name, -1.0, 1.0, size=DMAX, default=[0.0] * DMAX),
            Param("r" + name, 1e-2, 1e2, "log", default=1.0))


def _deform(A, diag, power):
    if diag == 0 and power == 1:
        return A
    if power == 0:
        return np.eye(A.shape[0])
    B = (1 - diag) * A + diag * np.diag(np.diag(A))
    lam, U = np.linalg.eigh(B)
    B = (U * lam ** power) @ U.T
    return (B + B.T) / 2


def quadratic(inst):
    """``(A, b, x*)`` of an instance."""
    d, k = inst["d"], inst["k"]
    if inst["family"] == "gaussian":
        A, b, _ = _problem(d, k, inst["alpha"])
    elif inst["family"] == "rotated":
        A = _rotated_spd(d, inst["cond"], k)
        b = A @ _rng(k + 1).standard_normal(d)
    else:  # diag(linspace(1, cond)), eigenvalues permuted over the coordinates (k = 0: none)
        lam = np.linspace(1.0, inst["cond"], d)
        A = np.diag(lam if k == 0 else _rng(k).permutation(lam))
        b = A @ _rng(k + 1).standard_normal(d)
    A = _deform(A, inst["diag"], inst["power"])
    eig = np.linalg.eigvalsh(A)
    if eig[0] <= 0 or eig[-1] / eig[0] > MAX_COND:
        raise Inadmissible("condition number above 1e6")
    return A, b, np.linalg.solve(A, b)


def sketch(inst):
    """The instance's Rand-K (K clipped to d) or Bernoulli sketch."""
    d = inst["d"]
    if inst["sketch"] == "randk":
        return RandK(d, min(inst["K"], d))
    return Bernoulli(bernoulli_p(inst))


def shifted(inst, x_ref, name="v"):
    """``x_ref + r u`` for the offset parameter ``name``."""
    return x_ref + offset(inst, name, inst["d"], "r" + name)


def sketch_point(sk):
    """Sketch parameters of a fixed instance's sketch object."""
    if isinstance(sk, RandK):
        return {"sketch": "randk", "K": sk.K}
    p = np.asarray(sk.p, dtype=float)
    pc = float(np.sqrt(p.max() * p.min()))
    spread = max(float(np.log(p.max() / p.min())) / 2, 1e-3)
    return {"sketch": "bernoulli", "pc": pc, "pspread": spread,
            "pt": padded(np.log(p / pc) / spread, DMAX)}


def fixed_point(d, k, sk=None, offsets=None, identity=False, family="gaussian", alpha=0.1,
                cond=3.0, **extra):
    """A claim's fixed instance as a point of the family. ``offsets`` maps an offset
    parameter to ``(vector, reference)``: it becomes ``r u`` with ``u = (vector - reference) /
    r`` and ``r = max |vector - reference|`` (parameters ``name`` and ``r<name>``)."""
    inst = {"d": d, "k": k, "family": family, "alpha": alpha, "cond": cond, "diag": 0.0,
            "power": 0.0 if identity else 1.0}
    if sk is not None:
        inst.update(sketch_point(sk))
    for name, (vec, ref) in (offsets or {}).items():
        inst[name], inst["r" + name] = as_offset(np.asarray(vec) - ref, DMAX)
    inst.update(extra)
    return inst
