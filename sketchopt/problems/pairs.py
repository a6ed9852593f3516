"""Target / auxiliary problem pairs (f, h) and their Hessian similarity delta.

The auxiliary-information setting (Chayti & Karimireddy, spec ``auxinfo.md``) minimises a target
``f`` using cheap gradients of a helper ``h``; what matters is ``delta = sup_x ||H_f(x) -
H_h(x)||_2``. This module builds pairs with a known delta:

* quadratics with ``||A - B||_2 = delta`` exactly and a chosen direction of the difference;
* the 1-D toy pair of the paper's Figure 1 (bias ``zeta``);
* logistic pairs (h on other data, a subsample, flipped or noisy labels, a coreset, rotated
  inputs, pseudo-labelled unlabelled data) and least-squares pairs (constant Hessians).

:func:`hessian_similarity` returns delta exactly where it is known exactly (quadratics, least
squares, flipped labels on the same inputs) and otherwise the certified bound of CLAIMS.md with a
sampled estimate that is labelled as an estimate.
"""

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_scalar, check_seed, check_symmetric_pd, check_vector
from .generators import logistic_data, random_orthogonal, random_spd, toeplitz_design
from .least_squares import LeastSquares
from .logistic import Logistic
from .quadratic import Quadratic

# problem codes understood by the method kernels (sketchopt.methods.auxinfo)
QUADRATIC, LOGISTIC, LEAST_SQUARES = 0, 1, 2
LOGISTIC_KINDS = ("flipped", "noisy_labels", "other", "subsample", "coreset", "rotated",
                  "semi_supervised")


@dataclass
class Pair:
    """A target ``f`` and an auxiliary ``h`` on the same parameter space.

    Attributes
    ----------
    f, h : Quadratic, Logistic or LeastSquares
        Target and helper.
    kind : str
        How ``h`` was built (``"quadratic"``, ``"toy"``, ``"flipped"``, ...).
    meta : dict
        Construction parameters (e.g. ``delta``, ``zeta``, flipped indices).
    """
    f: object
    h: object
    kind: str
    meta: dict = field(default_factory=dict)

    @property
    def d(self):
        return self.f.d

    def bias(self, x):
        """``beta(x) = grad f(x) - grad h(x)``, the quantity AuxMOM/AuxMVR estimate."""
        return self.f.grad(x) - self.h.grad(x)


def kernel_spec(problem):
    """Arrays describing ``problem`` to the Numba kernels: ``(code, M, v, X, y, l2)``.

    Quadratic: gradient ``M x - v``; logistic / least squares: finite sums over rows of ``X``.
    Unused arrays are empty so the kernels keep one signature.
    """
    d = problem.d
    empty2, empty1 = np.zeros((0, d)), np.zeros(0)
    if isinstance(problem, Quadratic):
        return (QUADRATIC, np.ascontiguousarray(problem.A), np.ascontiguousarray(problem.b),
                empty2, empty1, 0.0)
    if isinstance(problem, Logistic):
        return (LOGISTIC, np.zeros((0, 0)), empty1, np.ascontiguousarray(problem.X),
                np.ascontiguousarray(problem.y), float(problem.l2))
    if isinstance(problem, LeastSquares):
        return (LEAST_SQUARES, np.zeros((0, 0)), empty1, np.ascontiguousarray(problem.X),
                np.ascontiguousarray(problem.y), 0.0)
    raise ValueError(f"problem must be a Quadratic, Logistic or LeastSquares, got "
                     f"{type(problem).__name__}")


def n_samples(problem):
    """Number of rows of a finite-sum problem (0 for a quadratic)."""
    return 0 if isinstance(problem, Quadratic) else problem.n


# ----------------------------------------------------------------------------- quadratics

def quadratic_pair(A, b, delta, direction=None, sign=1.0, c=None, seed=0):
    """Quadratic pair ``f = 1/2 x'Ax - b'x``, ``h = 1/2 x'Bx - c'x`` with ``||A - B||_2 = delta``.

    ``B = A + sign * delta * D`` with ``||D||_2 = 1``: ``D = u u'`` for a unit ``direction`` u
    (rank one, so the difference acts only along u), or, with ``direction="spread"``,
    ``D = Q diag(s) Q'`` with ``s`` uniform in [-1, 1] and ``max |s| = 1`` (a full-rank difference
    of both signs).

    Parameters
    ----------
    A : ndarray (d, d)
        SPD Hessian of f.
    b : ndarray (d,)
        Linear term of f.
    delta : float
        Hessian difference (>= 0).
    direction : ndarray (d,), "spread" or None
        Direction of the difference; None takes the eigenvector of the smallest eigenvalue of A.
    sign : {1.0, -1.0}
        ``+1`` makes h more curved than f along ``direction``; ``-1`` less (B must stay SPD).
    c : ndarray (d,), optional
        Linear term of h; default ``b`` (then ``beta(x) = -sign*delta*D x``).
    seed : int
        Seed for ``direction="spread"``.
    """
    A = check_symmetric_pd(A, "A")
    d = A.shape[0]
    b = check_vector(b, "b", size=d)
    delta = check_scalar(delta, "delta", low=0.0)
    if sign not in (1.0, -1.0, 1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}")
    c = b.copy() if c is None else check_vector(c, "c", size=d)
    if isinstance(direction, str):
        if direction != "spread":
            raise ValueError(f"direction must be a vector, 'spread' or None, got {direction!r}")
        rng = check_seed(seed)
        s = rng.uniform(-1.0, 1.0, d)
        s[np.argmax(np.abs(s))] = 1.0
        Q = random_orthogonal(d, rng)
        D = (Q * s) @ Q.T
    else:
        u = np.linalg.eigh(A)[1][:, 0] if direction is None else check_vector(
            direction, "direction", size=d)
        nrm = np.linalg.norm(u)
        if nrm == 0.0:
            raise ValueError("direction must be nonzero")
        u = u / nrm
        D = np.outer(u, u)
    D = (D + D.T) / 2
    B = A + float(sign) * delta * D
    B = (B + B.T) / 2
    if np.linalg.eigvalsh(B)[0] <= 0:
        raise ValueError("delta too large for this direction and sign: the helper Hessian "
                         "B = A + sign * delta * D is not positive definite")
    return Pair(Quadratic(A, b), Quadratic(B, c), "quadratic",
                {"delta": delta, "sign": float(sign), "D": D})


def random_quadratic_pair(d, delta, cond=10.0, direction=None, sign=1.0, bias=0.0, seed=0):
    """Random SPD ``A`` (condition ``cond``, ``mu = 1``) and a pair via :func:`quadratic_pair`;
    ``c = b + bias * g`` with a unit Gaussian ``g`` shifts the helper's minimiser."""
    rng = check_seed(seed)
    A = random_spd(d, cond, seed=rng)
    b = rng.standard_normal(d)
    g = rng.standard_normal(d)
    c = b + check_scalar(bias, "bias") * g / np.linalg.norm(g)
    return quadratic_pair(A, b, delta, direction, sign, c, seed=rng)


def toy_pair(delta, zeta):
    """The paper's toy pair (Figure 1): ``f(x) = x^2/2``,
    ``h(x) = (1+delta)/2 (x - zeta/(1+delta))^2``.

    ``f'' - h'' = -delta``, ``f' - h' = zeta - delta x`` and ``argmin h = zeta/(1+delta)``; h is
    stored up to its additive constant as ``1/2 (1+delta) x^2 - zeta x``.
    """
    delta = check_scalar(delta, "delta", low=0.0)
    zeta = check_scalar(zeta, "zeta")
    return Pair(Quadratic(np.eye(1), np.zeros(1)),
                Quadratic(np.array([[1.0 + delta]]), np.array([zeta])), "toy",
                {"delta": delta, "zeta": zeta})


# ---------------------------------------------------------------------- finite-sum pairs

def least_squares_pair(X_f, y_f, X_h, y_h, kind="least_squares"):
    """Least-squares pair; Hessians ``X'X/n`` are constant, so delta is exact."""
    return Pair(LeastSquares(X_f, y_f), LeastSquares(X_h, y_h), kind)


def logistic_pair(kind, n=200, d=10, m=None, fraction=0.2, angle=0.3, l2=0.0, rho=0.0,
                  seed=0):
    """Logistic-regression pairs: f on ``n`` clean samples, h built according to ``kind``.

    Parameters
    ----------
    kind : str
        ``"flipped"``: same inputs, a ``fraction`` of the labels flipped (delta = 0 exactly, D12);
        ``"noisy_labels"``: same inputs, each label flipped with probability ``fraction``;
        ``"other"``: ``m`` fresh samples from the same model;
        ``"subsample"``: ``m`` rows of f's data drawn uniformly without replacement;
        ``"coreset"``: ``m`` rows drawn with probability proportional to their leverage scores
        (unweighted: the logistic class has no sample weights, so this is a biased helper);
        ``"rotated"``: same labels, inputs rotated by ``angle`` radians in the first two
        coordinates;
        ``"semi_supervised"``: f on the ``n`` labelled rows, h on those plus ``m`` unlabelled rows
        whose labels are predicted by a ridge-logistic fit on the labelled rows (pseudo-labels).
    n, d : int
        Samples of f and dimension.
    m : int, optional
        Samples of h where ``kind`` uses another sample size (default ``n`` for ``"other"``,
        ``n // 4`` for ``"subsample"``/``"coreset"``, ``4 n`` for ``"semi_supervised"``).
    fraction : float
        Flipped fraction (``"flipped"``) or flip probability (``"noisy_labels"``), in [0, 1].
    angle : float
        Rotation angle for ``"rotated"``.
    l2 : float
        Ridge term, the same for f and h.
    rho : float
        Toeplitz correlation of the inputs.
    seed : int
    """
    if kind not in LOGISTIC_KINDS:
        raise ValueError(f"kind must be one of {LOGISTIC_KINDS}, got {kind!r}")
    n = check_scalar(n, "n", low=2, integer=True)
    d = check_scalar(d, "d", low=1, integer=True)
    fraction = check_scalar(fraction, "fraction", low=0.0, high=1.0)
    rng = check_seed(seed)
    X, y, w_true, _ = logistic_data(n, d, d, rho=rho, seed=rng)
    meta = {"w_true": w_true}
    if kind == "flipped":
        flipped = np.sort(rng.choice(n, size=int(round(fraction * n)), replace=False))
        y_h = y.copy()
        y_h[flipped] = -y_h[flipped]
        X_h, meta["flipped"] = X, flipped
    elif kind == "noisy_labels":
        flipped = np.flatnonzero(rng.random(n) < fraction)
        y_h = y.copy()
        y_h[flipped] = -y_h[flipped]
        X_h, meta["flipped"] = X, flipped
    elif kind == "rotated":
        R = np.eye(d)
        if d >= 2:
            co, si = np.cos(angle), np.sin(angle)
            R[:2, :2] = [[co, -si], [si, co]]
        X_h, y_h = X @ R.T, y
        meta["angle"] = float(angle)
    else:
        default = {"other": n, "subsample": max(n // 4, 1), "coreset": max(n // 4, 1),
                   "semi_supervised": 4 * n}[kind]
        m = default if m is None else check_scalar(m, "m", low=1, integer=True)
        if kind == "other":
            X_h = toeplitz_design(m, d, rho, rng)
            y_h = np.where(rng.random(m) < 1 / (1 + np.exp(-(X_h @ w_true))), 1.0, -1.0)
        elif kind in ("subsample", "coreset"):
            if m > n:
                raise ValueError(f"m must be <= n for kind={kind!r}, got m={m}, n={n}")
            if kind == "subsample":
                rows = rng.choice(n, size=m, replace=False)
            else:
                Q = np.linalg.qr(X)[0]
                lev = np.sum(Q ** 2, axis=1)
                rows = rng.choice(n, size=m, replace=False, p=lev / lev.sum())
            rows = np.sort(rows)
            X_h, y_h, meta["rows"] = X[rows], y[rows], rows
        else:  # semi-supervised: pseudo-labels from a ridge-logistic fit on labelled data
            X_u = toeplitz_design(m, d, rho, rng)
            w_fit = _ridge_logistic_fit(X, y, 1e-2)
            y_u = np.where(X_u @ w_fit >= 0, 1.0, -1.0)
            X_h, y_h = np.vstack([X, X_u]), np.concatenate([y, y_u])
            meta["w_pseudo"] = w_fit
    return Pair(Logistic(X, y, l2), Logistic(X_h, y_h, l2), kind, meta)


def _ridge_logistic_fit(X, y, l2, iters=50):
    """Newton's method on the ridge-logistic loss (strongly convex, so it converges)."""
    f = Logistic(X, y, l2)
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        g = f.grad(w)
        if np.linalg.norm(g) < 1e-12:
            break
        w = w - np.linalg.solve(f.hessian(w), g)
    return w


# ----------------------------------------------------------------------- Hessian similarity

@dataclass
class Similarity:
    """Hessian similarity of a pair.

    Attributes
    ----------
    delta : float
        The value to use: exact (``method="exact"``) or a certified upper bound
        (``method="certified_bound"``).
    method : str
        ``"exact"`` or ``"certified_bound"``.
    estimate : float or None
        Sampled estimate ``max_k ||H_f(w_k) - H_h(w_k)||_2`` over random points: a LOWER
        estimate of the supremum, never a certificate (None when delta is exact).
    note : str
    """
    delta: float
    method: str
    estimate: float = None
    note: str = ""


def hessian_similarity(pair, n_points=32, radius=3.0, seed=0):
    """``delta = sup_x ||H_f(x) - H_h(x)||_2`` for a :class:`Pair`.

    * quadratics and least squares: exact (constant Hessians, spectral norm of the difference);
    * logistic pairs with identical inputs and ridge term (flipped or noisy labels): exactly 0,
      since the logistic Hessian ``s(t)(1 - s(t)) x x'`` does not depend on the label (D12);
    * other logistic pairs: the certified bound of CLAIMS.md, ``max(lambda_max(X_f'X_f)/(4 n_f),
      lambda_max(X_h'X_h)/(4 n_h))`` (both loss Hessians are PSD and below these), plus a
      sampled estimate over ``n_points`` Gaussian points of norm ``radius`` (labelled estimate).
    """
    if not isinstance(pair, Pair):
        raise ValueError(f"pair must be a Pair, got {type(pair).__name__}")
    n_points = check_scalar(n_points, "n_points", low=1, integer=True)
    radius = check_scalar(radius, "radius", low=0.0)
    f, h = pair.f, pair.h
    if type(f) is not type(h):
        raise ValueError("pair.f and pair.h must be the same kind of problem")
    if isinstance(f, (Quadratic, LeastSquares)):
        diff = f.hessian() - h.hessian()
        return Similarity(float(np.linalg.norm(diff, 2)), "exact", None,
                          "constant Hessians: spectral norm of the difference")
    dl2 = abs(f.l2 - h.l2)
    if f.X.shape == h.X.shape and np.array_equal(f.X, h.X):
        return Similarity(dl2, "exact", None,
                          "same inputs: logistic Hessians do not depend on labels (D12)")
    bound = max(np.linalg.norm(f.X, 2) ** 2 / (4 * f.n), np.linalg.norm(h.X, 2) ** 2 / (4 * h.n))
    rng = check_seed(seed)
    est = 0.0
    for _ in range(n_points):
        w = rng.standard_normal(f.d)
        w *= radius / max(np.linalg.norm(w), 1e-300)
        est = max(est, float(np.linalg.norm(f.hessian(w) - h.hessian(w), 2)))
    return Similarity(float(bound + dl2), "certified_bound", est,
                      f"certified bound (loose); sampled estimate over {n_points} points of "
                      f"norm {radius:g} is a lower estimate of the supremum")


def segment_hessian_gap(pair, x, y, n_grid=64):
    """``max ||H_f(z) - H_h(z)||_2`` over ``n_grid`` equispaced points of the segment [x, y]
    (endpoints included): the constant of D2 measured on that segment."""
    x = check_vector(x, "x", size=pair.d)
    y = check_vector(y, "y", size=pair.d)
    n_grid = check_scalar(n_grid, "n_grid", low=2, integer=True)
    return max(float(np.linalg.norm(pair.f.hessian(z) - pair.h.hessian(z), 2))
               for z in x + np.linspace(0.0, 1.0, n_grid)[:, None] * (y - x))


def flipped_label_bias(pair):
    """``grad f - grad h`` for a flipped-label logistic pair: ``-(1/n) sum_{flipped} y_i x_i``
    (y the clean labels; constant in w, D12)."""
    if pair.kind not in ("flipped", "noisy_labels"):
        raise ValueError(f"pair must be a flipped-label pair, got kind {pair.kind!r}")
    idx = pair.meta["flipped"]
    return -(pair.f.y[idx] @ pair.f.X[idx]) / pair.f.n


__all__ = ["Pair", "Similarity", "kernel_spec", "n_samples", "quadratic_pair",
           "random_quadratic_pair", "toy_pair", "least_squares_pair", "logistic_pair",
           "hessian_similarity", "segment_hessian_gap", "flipped_label_bias"]
