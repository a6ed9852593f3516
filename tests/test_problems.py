import numpy as np
import pytest
from hypothesis import given, settings
from scipy.optimize import approx_fprime

from sketchopt.methods.baselines import sgd_quadratic, sgd_quadratic_twin
from sketchopt.problems import (LeastSquares, Logistic, Quadratic, logistic_data, random_spd,
                                regression_data, sparse_truth, spectrum, toeplitz_covariance,
                                toeplitz_design)
from sketchopt.testing.strategies import quadratics, spd_matrices


@settings(max_examples=20)
@given(spd_matrices(max_dim=6, max_cond=1e4))
def test_random_spd_is_spd_with_bounded_condition(A):
    eig = np.linalg.eigvalsh(A)
    assert eig[0] > 0 and eig[-1] / eig[0] <= 1e4 * (1 + 1e-8)
    np.testing.assert_array_equal(A, A.T)


@pytest.mark.parametrize("shape", ["geometric", "linear", "clustered"])
def test_spectrum_is_exact(shape):
    A = random_spd(7, cond=50.0, shape=shape, mu=0.5, seed=1)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), spectrum(7, 50.0, shape, 0.5), rtol=1e-10)


@settings(max_examples=20)
@given(quadratics(max_dim=6))
def test_quadratic_gradient_minimizer_and_constants(Ab):
    A, b = Ab
    q = Quadratic(A, b)
    x = np.linspace(-1, 1, q.d)
    np.testing.assert_allclose(q.grad(x), approx_fprime(x, q.value, 1e-7), atol=1e-4 * q.L)
    xs = q.minimizer()
    np.testing.assert_allclose(A @ xs, b, rtol=1e-8, atol=1e-8 * np.abs(b).max())
    assert q.min_value() == pytest.approx(q.value(xs), rel=1e-9, abs=1e-12)
    assert q.mu == pytest.approx(np.linalg.eigvalsh(A)[0])


def test_least_squares_derivatives():
    X, y, _, _ = regression_data(30, 5, 2, seed=0)
    f = LeastSquares(X, y)
    w = np.arange(5.0) / 5
    np.testing.assert_allclose(f.grad(w), approx_fprime(w, f.value, 1e-7), atol=1e-5)
    v = np.ones(5)
    np.testing.assert_allclose(f.hessian_vector(w, v), f.hessian() @ v, rtol=1e-12)
    assert f.L == pytest.approx(np.linalg.eigvalsh(X.T @ X / 30)[-1])


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_logistic_derivatives(l2):
    X, y, _, _ = logistic_data(40, 4, 2, seed=3)
    f = Logistic(X, y, l2)
    w = np.array([0.3, -0.2, 0.1, 0.5])
    np.testing.assert_allclose(f.grad(w), approx_fprime(w, f.value, 1e-7), atol=1e-6)
    H_fd = np.array([approx_fprime(w, lambda u: f.grad(u)[i], 1e-6) for i in range(4)])
    np.testing.assert_allclose(f.hessian(w), H_fd, atol=1e-5)
    np.testing.assert_allclose(f.hessian_vector(w, np.ones(4)), f.hessian(w) @ np.ones(4))
    assert np.linalg.eigvalsh(f.hessian(w))[-1] <= f.L + 1e-12


def test_logistic_is_stable_for_huge_margins():
    X = np.array([[1e4], [-1e4]])
    f = Logistic(X, np.array([1.0, 1.0]))
    for w in (np.array([1.0]), np.array([-1.0])):
        assert np.isfinite(f.value(w)) and np.all(np.isfinite(f.grad(w)))
    # one sample with margin -1e4 contributes exactly 1e4 / n to the loss
    assert f.value(np.array([1.0])) == pytest.approx(1e4 / 2)


def test_toeplitz_design_covariance():
    X = toeplitz_design(20000, 5, rho=0.6, seed=0)
    emp = X.T @ X / X.shape[0]
    np.testing.assert_allclose(emp, toeplitz_covariance(5, 0.6), atol=0.04)


def test_generators_are_seeded_and_supports_known():
    a = regression_data(20, 10, 3, seed=5)
    b = regression_data(20, 10, 3, seed=5)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    w, support = sparse_truth(10, 3, seed=1)
    np.testing.assert_array_equal(np.flatnonzero(w), support)
    X, y, _, _ = logistic_data(50, 5, 2, label_noise=0.1, seed=2)
    assert set(np.unique(y)) <= {-1.0, 1.0}


@pytest.mark.parametrize("call, name", [
    (lambda: Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2)), "A"),
    (lambda: Quadratic(np.eye(2), np.ones(3)), "b"),
    (lambda: Quadratic(np.array([[1.0, np.nan], [np.nan, 1.0]]), np.ones(2)), "A"),
    (lambda: LeastSquares(np.ones((3, 2)), np.ones(2)), "y"),
    (lambda: Logistic(np.ones((2, 2)), np.array([1.0, 0.0])), "y"),
    (lambda: Logistic(np.ones((2, 2)), np.array([1.0, -1.0]), l2=-1), "l2"),
    (lambda: random_spd(3, cond=0.5), "cond"),
    (lambda: spectrum(3, 10, shape="bogus"), "shape"),
    (lambda: toeplitz_design(10, 3, rho=1.0), "rho"),
    (lambda: sparse_truth(3, 5), "k"),
])
def test_bad_input_names_argument(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_sgd_kernel_matches_numpy_twin():
    q = Quadratic(random_spd(6, 10, seed=2), np.ones(6))
    noise = np.random.default_rng(0).standard_normal((50, 6))
    x0 = np.linspace(-1, 1, 6)
    tr = sgd_quadratic(q, x0, 0.5 / q.L, noise)
    np.testing.assert_allclose(tr.x, sgd_quadratic_twin(q.A, q.b, x0, 0.5 / q.L, noise),
                               rtol=1e-10, atol=1e-14)
    with pytest.raises(ValueError, match="step"):
        sgd_quadratic(q, x0, -1.0, noise)
    with pytest.raises(ValueError, match="noise"):
        sgd_quadratic(q, x0, 0.1, noise[:, :3])
