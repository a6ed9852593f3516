"""MAST closed forms (spec D7, T5) against brute-force enumeration of every sketch outcome."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sketchopt.mast_objective import f_D, grad_f_D, saa_minimizer
from sketchopt.methods.mast_exact import distributed_outcomes
from sketchopt.oracles import mast_quadratic
from sketchopt.oracles._mast import grad_second_moment, mast_distributed_quadratic
from sketchopt.problems import Logistic, Quadratic
from sketchopt.sketches import Bernoulli, RandK
from sketchopt.testing.strategies import bernoulli_probabilities, spd_matrices

RT, AT = 1e-10, 1e-12


@st.composite
def instances(draw):
    A = draw(spd_matrices(min_dim=1, max_dim=7, max_cond=1e3))
    d = A.shape[0]
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 31 - 1)))
    b, v = rng.standard_normal(d), rng.standard_normal(d)
    sk = Bernoulli(draw(bernoulli_probabilities(d))) if draw(st.booleans()) \
        else RandK(d, draw(st.integers(1, d)))
    return A, b, v, sk


def _brute(A, b, v, sk):
    """Everything of D7 by summing over outcomes, without the closed forms."""
    vals, w = sk.enumerate()
    H = sum(wk * np.outer(s, s) * A for s, wk in zip(vals, w))
    lin = sum(wk * s * (A @ v - b - A @ (s * v)) for s, wk in zip(vals, w))
    x_D = np.linalg.solve(H, -lin)  # grad f_D(x) = H x + lin
    f = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    fD = lambda x: sum(wk * f(v + s * (x - v)) for s, wk in zip(vals, w))  # noqa: E731
    grads = vals * (A @ v - b + (vals * (x_D - v)) @ A)
    sigma2 = float(w @ np.sum(grads ** 2, axis=1))
    x_star = np.linalg.solve(A, b)
    # gap = E[f(z_S) - f^inf] = E[1/2 (z_S - x*)'A(z_S - x*)]: a sum of nonnegative terms, so
    # the brute force does not lose the small gap to cancellation between f_D^inf and f^inf
    Z = v[None, :] + vals * (x_D - v)[None, :] - x_star[None, :]
    gap = float(0.5 * w @ np.einsum("ki,ij,kj->k", Z, A, Z))
    return H, x_D, fD(x_D), gap, sigma2, fD


def _close(a, b):
    """CLAIMS.md exact-identity tolerance: relative 1e-10 with absolute floor 1e-12."""
    return bool(np.all(np.abs(np.asarray(a) - b) <= np.maximum(RT * np.abs(b), AT)))


@settings(max_examples=40, deadline=None)
@given(instances())
def test_closed_forms_match_enumeration(inst):
    A, b, v, sk = inst
    mq = mast_quadratic(A, b, v, sk)
    H, x_D, fD_inf, gap, sigma2, fD = _brute(A, b, v, sk)
    assert _close(mq.H, H) and _close(mq.x_star_D, x_D)
    assert _close(mq.f_D_inf, fD_inf) and _close(mq.gap, gap) and mq.gap >= 0.0
    assert _close(mq.sigma2, sigma2)
    x = np.random.default_rng(0).standard_normal(A.shape[0])
    assert _close(mq.f_D(x), fD(x))


@settings(max_examples=40, deadline=None)
@given(instances())
def test_third_moment_expansion_matches_enumeration(inst):
    """E||grad f_S(x)||^2 from the moments of s vs the sum over outcomes. The expansion adds
    terms of size up to E||s o (|g_v| + |A|(|s| o |w|))||^2, so rounding is relative to that."""
    A, b, v, sk = inst
    gv = A @ v - b
    w = np.random.default_rng(1).standard_normal(A.shape[0])
    vals, wt = sk.enumerate()
    brute = wt @ np.sum((vals * (gv + (vals * w) @ A)) ** 2, axis=1)
    terms = wt @ np.sum((np.abs(vals) * (np.abs(gv) + (np.abs(vals * w)) @ np.abs(A))) ** 2,
                        axis=1)
    assert abs(grad_second_moment(A, gv, w, sk) - brute) <= RT * terms + AT


@settings(max_examples=25, deadline=None)
@given(spd_matrices(min_dim=2, max_dim=7), st.data())
def test_explicit_hessian_formulas(A, data):
    """Bernoulli: A + Diag(A_ii (1-p_i)/p_i); Rand-K: cA + (d/K - c) Diag(A)."""
    d = A.shape[0]
    p = data.draw(bernoulli_probabilities(d))
    np.testing.assert_allclose(Bernoulli(p).sandwich(A), A + np.diag(np.diag(A) * (1 - p) / p),
                               rtol=RT, atol=AT)
    K = data.draw(st.integers(1, d))
    c = d * (K - 1) / (K * (d - 1))
    np.testing.assert_allclose(RandK(d, K).sandwich(A),
                               c * A + (d / K - c) * np.diag(np.diag(A)), rtol=RT, atol=AT)


def test_generic_objective_matches_closed_forms():
    rng = np.random.default_rng(4)
    A = np.cov(rng.standard_normal((6, 30))) + 0.1 * np.eye(6)
    b, v, x = rng.standard_normal((3, 6))
    sk = RandK(6, 2)
    mq = mast_quadratic(A, b, v, sk)
    q = Quadratic(A, b)
    assert f_D(q, v, sk, x).exact
    assert abs(f_D(q, v, sk, x).value - mq.f_D(x)) <= RT * abs(mq.f_D(x))
    np.testing.assert_allclose(grad_f_D(q, v, sk, x).value, mq.grad_f_D(x), rtol=RT, atol=AT)
    mc = f_D(q, v, sk, x, n_samples=4000, seed=1)
    assert not mc.exact and abs(mc.value - mq.f_D(x)) <= 4 * mc.se


def test_saa_over_all_outcomes_is_exact_minimiser_for_logistic():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 5))
    y = np.sign(rng.standard_normal(40))
    loss, v, sk = Logistic(X, y, l2=0.1), np.zeros(5), RandK(5, 2)
    vals, w = sk.enumerate()
    x_D = saa_minimizer(loss, v, vals, w)
    assert np.linalg.norm(grad_f_D(loss, v, sk, x_D).value) < 1e-9


@pytest.mark.parametrize("joint", [True, False])
def test_distributed_minimiser_and_residual(joint):
    rng = np.random.default_rng(5)
    M, d = 3, 6
    As = np.array([np.cov(rng.standard_normal((d, 20))) + 0.2 * np.eye(d) for _ in range(M)])
    bs, v = rng.standard_normal((M, d)), rng.standard_normal(d)
    marg = RandK(d, d // M)
    out = mast_distributed_quadratic(As, bs, v, [marg] * M)
    # Perm-K couples the nodes; independent Rand-q draws every node separately
    # (C(6, 2)^3 outcomes). Both have the same marginals, hence the same x*_D.
    vals, w = distributed_outcomes(d, M, joint)
    Z = v + vals * (out.x_star_D - v)                                    # (k, M, d)
    G = vals * (np.einsum("kmd,med->kme", Z, As) - bs[None])
    np.testing.assert_allclose(w @ G.mean(axis=1), 0.0, atol=1e-12)
    assert out.residual >= 0


@pytest.mark.parametrize("call,arg", [
    (lambda A, b, v: mast_quadratic(A, b, v, RandK(4, 2)), "sketch"),
    (lambda A, b, v: mast_quadratic(-A, b, v, RandK(3, 2)), "A"),
    (lambda A, b, v: mast_quadratic(A, b[:2], v, RandK(3, 2)), "b"),
    (lambda A, b, v: mast_quadratic(A, b, v[:2], RandK(3, 2)), "v"),
])
def test_validation(call, arg):
    with pytest.raises(ValueError, match=arg):
        call(np.eye(3), np.ones(3), np.zeros(3))
