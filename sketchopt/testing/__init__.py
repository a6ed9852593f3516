"""Helpers for other projects' tests.

Assertions (always available)
    :func:`assert_lasso_optimal`, :func:`assert_group_lasso_optimal`,
    :func:`assert_l1_logistic_optimal`, :func:`assert_group_l1_logistic_optimal`,
    :func:`assert_multitask_lasso_optimal` check a point of your own;
    :func:`assert_certified` re-checks an :class:`~sketchopt.oracles.OracleResult`. Each
    recomputes the duality gap from the data: a point passes at ``rtol`` when its gap is at
    most ``rtol`` times the objective at zero (``||y||^2/(2n)`` for least squares, ``log 2``
    for logistic) and its KKT violation is no more than that gap allows (see
    :mod:`sketchopt.testing.assertions`).
Strategies (when hypothesis is installed)
    :mod:`sketchopt.testing.strategies`: SPD matrices, quadratics, lasso, logistic and group
    logistic instances, groupings, Bernoulli probabilities and Rand-K sizes.
"""

from .assertions import (assert_certified, assert_group_l1_logistic_optimal,
                         assert_group_lasso_optimal, assert_l1_logistic_optimal,
                         assert_lasso_optimal, assert_multitask_lasso_optimal)

__all__ = ["assert_certified", "assert_group_l1_logistic_optimal", "assert_group_lasso_optimal",
           "assert_l1_logistic_optimal", "assert_lasso_optimal",
           "assert_multitask_lasso_optimal"]

try:
    from . import strategies
except ImportError:  # hypothesis is optional for users of the assertions alone
    strategies = None
else:
    __all__.append("strategies")
