"""Regularisation paths: the certified solvers along a decreasing grid of ``lam``, warm-started.

Each point of a path is an independent :class:`OracleResult`, certified by the same rule as a
single solve; the warm start (the solution at the previous ``lam``) changes only how fast the
solver gets there. The data are validated and rescaled once for the whole path.
"""

import time
from importlib import import_module

import numpy as np

from .._validation import as_float_array, check_scalar
from . import duality, options, sparse

#: Default grid: ``n_lams`` values from ``lam_max`` down to ``eps * lam_max``, geometric.
N_LAMS, EPS = 100, 1e-3


def lam_grid(lam_max, n_lams=N_LAMS, eps=EPS):
    """``n_lams`` geometric values from ``lam_max`` down to ``eps * lam_max``."""
    n_lams = check_scalar(n_lams, "n_lams", low=1, integer=True)
    eps = check_scalar(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    return lam_max * np.geomspace(1.0, eps, n_lams)


def _lams(lams, data, groups, weights, n_lams, eps, opts):
    if lams is None:
        lmax = duality.lam_max(data.X, data.y, data.kind, groups, weights, **opts)
        if not lmax > 0:
            raise ValueError(f"{data.kind}_path: lam_max is 0 (X'y = 0), so every lam > 0 gives "
                             "x = 0; pass lams explicitly")
        return lam_grid(lmax, n_lams, eps)
    lams = as_float_array(lams, "lams", ndim=1)
    if np.any(lams <= 0):
        raise ValueError("lams must be > 0")
    if np.any(np.diff(lams) >= 0):
        raise ValueError("lams must be strictly decreasing (a path is warm-started from large "
                         "to small lam)")
    return lams


_OPTIONS = {"fit_intercept", "sample_weight", "l2", "feature_weights", "positive"}


def _path(kind, X, y, lams, groups, weights, tol, max_iter, verbose, n_lams, eps, opts):
    unknown = sorted(set(opts) - _OPTIONS)
    if unknown:
        raise TypeError(f"{kind}_path() got unexpected keyword argument(s) "
                        f"{', '.join(unknown)}; options are {', '.join(sorted(_OPTIONS))}")
    data = sparse._Data(kind, X, y)
    tol, max_iter = sparse.check_budget(tol, max_iter)
    grid = _lams(lams, data, groups, weights, n_lams, eps, opts)
    fn = getattr(import_module("sketchopt.oracles"), kind)
    plain = not options.uses_options(opts.get("fit_intercept", False),
                                     opts.get("sample_weight"), opts.get("l2", 0.0),
                                     opts.get("feature_weights"), weights)
    positive = opts.get("positive", False)
    results, w0, t0 = [], None, time.perf_counter()
    for k, lam in enumerate(grid):
        if plain:
            res = sparse._solve_on(data, float(lam), groups, weights, tol, max_iter, False, w0,
                                   positive=duality._check_positive(positive, kind))
        else:                      # options: each lam solved on its own (no warm start yet)
            args = (X, y, float(lam), groups) if "group" in kind else (X, y, float(lam))
            extra = {"weights": weights} if "group" in kind else {}
            res = fn(*args, tol=tol, max_iter=max_iter, **extra, **opts)
        results.append(res)
        w0 = res.x
        if verbose:
            print(f"{kind}_path: {k + 1}/{grid.size}  lam {lam:.4e}  support {res.support.size}"
                  f"  relative gap {res.relative_gap:.1e}  rounds {res.n_iter}  "
                  f"{time.perf_counter() - t0:.2f} s", flush=True)
    return results


_DOC = """Certified {what} along a decreasing grid of ``lam``, warm-started.

    Parameters
    ----------
    X, y{groups_param}
        As in :func:`sketchopt.oracles.{kind}`.
    lams : array_like or None
        Strictly decreasing penalty levels, > 0. ``None``: ``n_lams`` values from
        ``lam_max`` down to ``eps * lam_max``, geometric.
    tol, max_iter
        As in :func:`sketchopt.oracles.{kind}`, applied at every ``lam``.
    verbose : bool
        One line per ``lam``: support size, relative gap, rounds, elapsed time.
    n_lams, eps
        The default grid (100 values down to ``lam_max / 1000``).
    **options
        ``fit_intercept``, ``sample_weight``, ``l2``, ``feature_weights``, ``positive`` as in
        :func:`sketchopt.oracles.{kind}` (and in ``lam_max`` for the default grid); with
        options other than ``positive`` each ``lam`` is solved without a warm start.

    Returns
    -------
    list of OracleResult
        One certified result per ``lam`` (``result.problem["lam"]``), in grid order.
    """


def lasso_path(X, y, lams=None, *, tol=1e-10, max_iter=100, verbose=False, n_lams=N_LAMS,
               eps=EPS, **options):
    return _path("lasso", X, y, lams, None, None, tol, max_iter, verbose, n_lams, eps,
                 options)


def l1_logistic_path(X, y, lams=None, *, tol=1e-10, max_iter=100, verbose=False,
                     n_lams=N_LAMS, eps=EPS, **options):
    return _path("l1_logistic", X, y, lams, None, None, tol, max_iter, verbose, n_lams, eps,
                 options)


def group_lasso_path(X, y, groups, lams=None, *, weights=None, tol=1e-10, max_iter=100,
                     verbose=False, n_lams=N_LAMS, eps=EPS, **options):
    return _path("group_lasso", X, y, lams, groups, weights, tol, max_iter, verbose, n_lams,
                 eps, options)


def group_l1_logistic_path(X, y, groups, lams=None, *, weights=None, tol=1e-10, max_iter=100,
                           verbose=False, n_lams=N_LAMS, eps=EPS, **options):
    return _path("group_l1_logistic", X, y, lams, groups, weights, tol, max_iter, verbose,
                 n_lams, eps, options)


for _fn, _what in ((lasso_path, "lasso"), (l1_logistic_path, "L1 logistic regression"),
                   (group_lasso_path, "group lasso"),
                   (group_l1_logistic_path, "group-L1 logistic regression")):
    _kind = _fn.__name__[:-len("_path")]
    _fn.__doc__ = _DOC.format(what=_what, kind=_kind,
                              groups_param=", groups, weights" if "group" in _kind else "")
