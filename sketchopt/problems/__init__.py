"""Smooth losses (value, gradient, Hessian, L, mu) and seeded instance generators."""

from .generators import (gaussian_spd, logistic_data, random_orthogonal, random_quadratic,
                         random_spd, regression_data, sparse_truth, spectrum,
                         toeplitz_covariance, toeplitz_design)
from .least_squares import LeastSquares
from .logistic import Logistic
from .quadratic import Quadratic

__all__ = ["Quadratic", "LeastSquares", "Logistic", "spectrum", "random_spd", "random_orthogonal",
           "random_quadratic", "gaussian_spd", "toeplitz_design", "toeplitz_covariance",
           "sparse_truth", "regression_data", "logistic_data"]
