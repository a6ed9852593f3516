"""Monte Carlo confidence rules and rate fits (the single rule of CLAIMS.md).

Upper bound ``E[X] <= B`` passes if ``mean - z*se <= B``; equality ``E[X] = v`` passes if
``|mean - v| <= z*se + 1e-12``; with ``m`` simultaneous entries
``z = Phi^-1(1 - 0.001/(2m))`` (Bonferroni at family level 1e-3).
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

FAMILY_LEVEL = 1e-3
EQUALITY_FLOOR = 1e-12


def derive_seeds(base_seed, n):
    """``n`` independent integer seeds derived from one base seed (reproducible)."""
    children = np.random.SeedSequence(base_seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def bonferroni_z(m=1, level=FAMILY_LEVEL):
    """Two-sided Bonferroni critical value ``Phi^-1(1 - level/(2m))``."""
    if m < 1:
        raise ValueError(f"m must be >= 1, got {m}")
    return float(_st.norm.ppf(1.0 - level / (2.0 * m)))


def mean_se(samples, axis=0):
    """Sample mean and standard error along ``axis`` (ddof=1)."""
    x = np.asarray(samples, dtype=np.float64)
    n = x.shape[axis]
    if n < 2:
        raise ValueError("samples needs at least two draws along axis")
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / np.sqrt(n)


@dataclass(frozen=True)
class MCResult:
    """Outcome of a Monte Carlo rule; arrays are per entry, ``passed`` is over all entries.

    ``target`` holds the bound (upper rule) or the value (equality rule) per entry and
    ``worst`` the flat index of the entry with the least slack, the one ``margin`` refers to.
    """
    passed: bool
    mean: np.ndarray
    se: np.ndarray
    z: float
    margin: float  # worst entry: >= 0 iff passed
    target: np.ndarray = None
    worst: int = 0

    def summary(self):
        return {"mean": np.asarray(self.mean).tolist(), "se": np.asarray(self.se).tolist(),
                "z": self.z, "margin": self.margin, "worst": self.worst}


def _rule(mean, se, z, slack, target):
    slack = np.atleast_1d(slack)
    worst = int(np.argmin(np.where(np.isnan(slack), -np.inf, slack)))
    margin = float(slack.flat[worst])
    target = np.broadcast_to(np.asarray(target, dtype=float), np.shape(slack))
    return MCResult(bool(margin >= 0), mean, se, z, margin, target, worst)


def mc_upper(samples, bound, m=None, axis=0):
    """Rule for ``E[X] <= bound`` (entrywise if ``samples`` has extra axes)."""
    mean, se = mean_se(samples, axis)
    m = int(np.size(mean)) if m is None else m
    z = bonferroni_z(m)
    return _rule(mean, se, z, np.asarray(bound) - (mean - z * se), bound)


def mc_equal(samples, value, m=None, axis=0):
    """Rule for ``E[X] = value`` (entrywise if ``samples`` has extra axes)."""
    mean, se = mean_se(samples, axis)
    return mc_equal_from_moments(mean, se, value, m)


def mc_equal_from_moments(mean, se, value, m=None):
    """The equality rule from per-entry means and standard errors already computed (e.g.
    streamed over blocks of runs that would not fit in memory at once)."""
    mean, se = np.asarray(mean, dtype=float), np.asarray(se, dtype=float)
    m = int(np.size(mean)) if m is None else m
    z = bonferroni_z(m)
    return _rule(mean, se, z, z * se + EQUALITY_FLOOR - np.abs(mean - np.asarray(value)), value)


@dataclass(frozen=True)
class LineFit:
    """Least-squares line ``y = intercept + slope * x`` with the slope's standard error."""
    slope: float
    intercept: float
    slope_se: float

    def ci(self, z=1.96):
        return self.slope - z * self.slope_se, self.slope + z * self.slope_se


def line_fit(x, y):
    """Ordinary least-squares line fit with the slope's standard error."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError("x and y must be 1-D arrays of equal length >= 2")
    res = _st.linregress(x, y)
    se = float(res.stderr) if x.size > 2 else 0.0
    return LineFit(float(res.slope), float(res.intercept), se)


def loglog_slope(x, y):
    """Slope of log y against log x (e.g. an O(m^-1/2) error gives -0.5)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("loglog_slope needs positive x and y")
    return line_fit(np.log(x), np.log(y))


def linear_rate(t, y):
    """Fit ``y_t ~ C rho^t``; returns ``(rho, LineFit of log y on t)``."""
    y = np.asarray(y, dtype=np.float64)
    if np.any(y <= 0):
        raise ValueError("linear_rate needs positive y")
    fit = line_fit(t, np.log(y))
    return float(np.exp(fit.slope)), fit


def bootstrap_ci(samples, statistic=np.mean, level=0.99, n_boot=2000, seed=0):
    """Percentile bootstrap interval of ``statistic`` over the first axis."""
    x = np.asarray(samples)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.shape[0], size=(n_boot, x.shape[0]))
    boots = np.array([statistic(x[i]) for i in idx])
    a = (1.0 - level) / 2.0
    return float(np.quantile(boots, a)), float(np.quantile(boots, 1.0 - a))
