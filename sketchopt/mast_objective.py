"""The MAST objective for any smooth loss (spec D1, D2, D8).

``f_S(x) = f(v + S(x - v))``, ``grad f_S(x) = S' grad f(v + S(x - v))`` and
``f_D(x) = E f_S(x)``, for a loss with ``value``/``grad`` (``problems.Quadratic``,
``problems.Logistic``, ...) and a diagonal sketch of :mod:`sketchopt.sketches`. The expectation
is exact (a weighted sum over every outcome) when the sketch is enumerable, otherwise a Monte
Carlo mean with its standard error. Closed forms for quadratics are in
``oracles.mast_quadratic``.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from ._validation import check_scalar, check_vector
from .sketches import MAX_OUTCOMES


@dataclass(frozen=True)
class Expectation:
    """An expectation over sketches: exact (``se = 0``, ``exact=True``) or Monte Carlo."""
    value: np.ndarray
    se: np.ndarray
    n: int
    exact: bool


def f_S(loss, v, s, x):
    """``f(v + s o (x - v))`` for one sketch diagonal ``s``."""
    return loss.value(v + s * (x - v))


def grad_f_S(loss, v, s, x):
    """``s o grad f(v + s o (x - v))`` (spec D2: the gradient is sketched by ``S'``)."""
    return s * loss.grad(v + s * (x - v))


def sketch_outcomes(sketch, n_samples=None, seed=0, max_outcomes=MAX_OUTCOMES):
    """Outcome diagonals and weights: all outcomes when ``n_samples`` is None and there are at
    most ``max_outcomes``, else ``n_samples`` i.i.d. draws with equal weights."""
    if n_samples is None:
        if sketch.n_outcomes > max_outcomes:
            raise ValueError(f"{sketch!r} has {sketch.n_outcomes} outcomes; pass n_samples "
                             "to use Monte Carlo")
        vals, w = sketch.enumerate(max_outcomes)
        return vals, w, True
    n_samples = check_scalar(n_samples, "n_samples", low=2, integer=True)
    return sketch.sample_values(n_samples, seed), np.full(n_samples, 1.0 / n_samples), False


def _expect(fn, vals, w, exact):
    samples = np.array([fn(s) for s in vals])
    mean = np.tensordot(w, samples, axes=1)
    if exact:
        return Expectation(mean, np.zeros_like(mean), len(w), True)
    se = samples.std(axis=0, ddof=1) / np.sqrt(len(w))
    return Expectation(mean, se, len(w), False)


def f_D(loss, v, sketch, x, n_samples=None, seed=0):
    """``f_D(x) = E_S f(v + S(x - v))``, exact by enumeration or by Monte Carlo.

    Parameters
    ----------
    loss : object with ``value(x)`` and ``d``
    v : ndarray of shape (d,)
        The shift.
    sketch : Bernoulli or RandK
    x : ndarray of shape (d,)
    n_samples : int, optional
        Monte Carlo sample size; None enumerates every outcome.
    seed : int
        Seed of the Monte Carlo draws.

    Returns
    -------
    Expectation
    """
    v = check_vector(v, "v", size=loss.d)
    x = check_vector(x, "x", size=loss.d)
    vals, w, exact = sketch_outcomes(sketch, n_samples, seed)
    return _expect(lambda s: f_S(loss, v, s, x), vals, w, exact)


def grad_f_D(loss, v, sketch, x, n_samples=None, seed=0):
    """``grad f_D(x) = E_S S' grad f(v + S(x - v))`` (exact or Monte Carlo, per entry)."""
    v = check_vector(v, "v", size=loss.d)
    x = check_vector(x, "x", size=loss.d)
    vals, w, exact = sketch_outcomes(sketch, n_samples, seed)
    return _expect(lambda s: grad_f_S(loss, v, s, x), vals, w, exact)


def saa_minimizer(loss, v, vals, weights=None, x0=None, gtol=1e-12):
    """Minimise the weighted average ``sum_j w_j f_{S_j}`` over the sketch diagonals ``vals``.

    With all outcomes and their weights this is the exact ``x*_D`` (to the solver tolerance);
    with i.i.d. draws it is the sample-average approximation of spec D8 (biased: its minimum
    is below ``f_D^inf`` in expectation). L-BFGS on the exact gradient.
    """
    vals = np.asarray(vals, dtype=np.float64)
    m, d = vals.shape
    w = np.full(m, 1.0 / m) if weights is None else np.asarray(weights, dtype=np.float64)
    v = check_vector(v, "v", size=d)
    x0 = v.copy() if x0 is None else check_vector(x0, "x0", size=d)

    def fun(x):
        val, g = 0.0, np.zeros(d)
        for s, wj in zip(vals, w):
            z = v + s * (x - v)
            val += wj * loss.value(z)
            g += wj * s * loss.grad(z)
        return val, g
    res = minimize(fun, x0, jac=True, method="L-BFGS-B",
                   options={"gtol": gtol, "ftol": 1e-15, "maxiter": 2000})
    return res.x


def pruned_values(loss, x, vals):
    """Loss of the pruned models ``s o x`` (shift 0) for each diagonal row of ``vals``."""
    return np.array([loss.value(s * x) for s in vals])


def logistic_saa_minimizer(X, y, l2, v, vals, weights=None, x0=None, gtol=1e-10):
    """Vectorised :func:`saa_minimizer` for l2-logistic regression: all sketched margins
    ``X (v + s_j o (x - v))`` in one matrix product per evaluation (O(n d m) BLAS work)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    vals = np.asarray(vals, dtype=np.float64)
    m, d = vals.shape
    n = X.shape[0]
    w = np.full(m, 1.0 / m) if weights is None else np.asarray(weights, dtype=np.float64)
    v = check_vector(v, "v", size=d)
    x0 = v.copy() if x0 is None else check_vector(x0, "x0", size=d)

    def fun(x):
        Z = v[None, :] + vals * (x - v)[None, :]          # (m, d) sketched models
        M = X @ Z.T                                        # (n, m) margins
        val = w @ (np.logaddexp(0.0, -y[:, None] * M).sum(axis=0) / n
                   + 0.5 * l2 * np.sum(Z ** 2, axis=1))
        coef = -y[:, None] * expit(-y[:, None] * M) / n    # (n, m)
        G = (X.T @ coef).T + l2 * Z                        # grad f at each sketched model
        return val, (w[:, None] * vals * G).sum(axis=0)
    res = minimize(fun, x0, jac=True, method="L-BFGS-B",
                   options={"gtol": gtol, "ftol": 1e-15, "maxiter": 5000})
    return res.x
