"""Numba kernels of the oracles: (block) coordinate descent restricted to a working set.

Penalty ``sum_g thr_g ||w_g||`` over groups ``order[ptr[g]:ptr[g+1]]`` (singletons give the
L1 norm). The design is passed as ``D = (X, data, indices, indptr)``: a dense Fortran-ordered
``X`` (columns contiguous) with empty CSC arrays, or an empty ``X`` with the CSC arrays of a
sparse design; the column helpers below are the only code that looks inside. ``positive`` (with
singletons) adds the constraint ``w >= 0``: the prox becomes ``max(v - thr/L, 0)`` and the dual
norm one-sided.

* least squares: exact coordinate minimisation (singletons) or a block prox-gradient step
  with the block Lipschitz constant, and Anderson extrapolation of the working-set iterate
  every ``n_anderson + 1`` epochs (accepted only if it lowers the objective);
* logistic: proximal Newton, the quadratic model minimised by the same block updates and a
  backtracking (Armijo) line search on the true objective.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def _ws_features(ws, order, ptr):
    m = 0
    for g in ws:
        m += ptr[g + 1] - ptr[g]
    feat = np.empty(m, np.int64)
    k = 0
    for g in ws:
        for t in range(ptr[g], ptr[g + 1]):
            feat[k] = order[t]
            k += 1
    return feat


@njit(cache=True)
def _col_dot(D, j, v):
    """``x_j'v``."""
    X, data, indices, indptr = D
    s = 0.0
    if indptr.size > 0:
        for k in range(indptr[j], indptr[j + 1]):
            s += data[k] * v[indices[k]]
        return s
    for i in range(X.shape[0]):
        s += X[i, j] * v[i]
    return s


@njit(cache=True)
def _col_wdot(D, j, h, v):
    """``sum_i x_ij h_i v_i``."""
    X, data, indices, indptr = D
    s = 0.0
    if indptr.size > 0:
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            s += data[k] * h[i] * v[i]
        return s
    for i in range(X.shape[0]):
        s += X[i, j] * h[i] * v[i]
    return s


@njit(cache=True)
def _col_wdot2(D, j, l, h, n):
    """``sum_i x_ij x_il h_i`` (dense scratch for a sparse column pair)."""
    X, data, indices, indptr = D
    s = 0.0
    if indptr.size > 0 and j == l:
        for k in range(indptr[j], indptr[j + 1]):
            s += data[k] * data[k] * h[indices[k]]
        return s
    if indptr.size > 0:
        col = np.zeros(n)
        for k in range(indptr[l], indptr[l + 1]):
            col[indices[k]] = data[k]
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            s += data[k] * h[i] * col[i]
        return s
    for i in range(X.shape[0]):
        s += X[i, j] * X[i, l] * h[i]
    return s


@njit(cache=True)
def _col_axpy(D, j, a, v):
    """``v += a x_j``."""
    X, data, indices, indptr = D
    if indptr.size > 0:
        for k in range(indptr[j], indptr[j + 1]):
            v[indices[k]] += a * data[k]
        return
    for i in range(X.shape[0]):
        v[i] += a * X[i, j]


@njit(cache=True)
def _penalty_on(ws, ptr, thr, vals):
    """sum over ws groups of thr_g ||vals_g||, vals laid out group after group."""
    pen = 0.0
    o = 0
    for g in ws:
        sz = ptr[g + 1] - ptr[g]
        sq = 0.0
        for k in range(o, o + sz):
            sq += vals[k] * vals[k]
        pen += thr[g] * np.sqrt(sq)
        o += sz
    return pen


@njit(cache=True)
def _ls_ws_gap(D, y, w, r, ws, feat, ptr, thr, positive):
    """Gap of the problem restricted to ws (w is zero outside ws, r = y - Xw)."""
    n = y.shape[0]
    dn = 0.0
    o = 0
    for g in ws:
        sz = ptr[g + 1] - ptr[g]
        sq = 0.0
        for k in range(o, o + sz):
            gk = _col_dot(D, feat[k], r) / n
            if positive:
                gk = max(gk, 0.0)
            sq += gk * gk
        dn = max(dn, np.sqrt(sq) / thr[g])
        o += sz
    rr = r @ r
    primal = 0.5 * rr / n + _penalty_on(ws, ptr, thr, w[feat])
    s = 1.0 / max(1.0, dn)
    dual = (s * (y @ r) - 0.5 * s * s * rr) / n
    return primal - dual


@njit(cache=True)
def _anderson_ls(D, y, w, r, ws, feat, ptr, thr, hist, positive):
    """Try the Anderson extrapolation of the stored iterates; keep it if it lowers P."""
    n = y.shape[0]
    K = hist.shape[0] - 1
    U = hist[1:] - hist[:-1]
    C = U @ U.T
    tr = np.trace(C)
    if not tr > 0.0:
        return
    C += 1e-10 * tr / K * np.eye(K)
    z = np.linalg.solve(C, np.ones(K))
    if not np.all(np.isfinite(z)) or z.sum() == 0.0:
        return
    c = z / z.sum()
    w_acc = c @ hist[1:]
    if positive and np.any(w_acc < 0.0):
        return
    r_acc = y.copy()
    for k in range(feat.size):
        if w_acc[k] != 0.0:
            _col_axpy(D, feat[k], -w_acc[k], r_acc)
    p_acc = 0.5 * (r_acc @ r_acc) / n + _penalty_on(ws, ptr, thr, w_acc)
    p_cur = 0.5 * (r @ r) / n + _penalty_on(ws, ptr, thr, w[feat])
    if p_acc < p_cur:
        for k in range(feat.size):
            w[feat[k]] = w_acc[k]
        r[:] = r_acc


@njit(cache=True)
def ls_ws_solve(D, y, w, r, ws, order, ptr, lips, thr, tol_in, max_epochs, n_anderson,
                positive=False):
    """Block CD on the groups ``ws`` of ``1/(2n)||y - Xw||^2 + sum_g thr_g ||w_g||``.

    ``w`` and ``r = y - Xw`` are updated in place; stops when the working-set gap is at most
    ``tol_in``. Returns ``(epochs, gap)``.
    """
    n = y.shape[0]
    feat = _ws_features(ws, order, ptr)
    check_every = n_anderson + 1 if n_anderson > 0 else 5
    hist = np.empty((n_anderson + 1, feat.size))
    buf = np.empty(feat.size)
    gap = np.inf
    for epoch in range(max_epochs):
        for g in ws:
            L = lips[g]
            if L == 0.0:
                continue
            s, e = ptr[g], ptr[g + 1]
            sq = 0.0
            for t in range(s, e):
                v = w[order[t]] + _col_dot(D, order[t], r) / (n * L)
                buf[t - s] = v
                sq += v * v
            nrm = np.sqrt(sq)
            if positive:       # singletons: buf[0] = v, the prox is max(v - thr/L, 0)
                scale = 1.0 - thr[g] / (L * buf[0]) if buf[0] * L > thr[g] else 0.0
            else:
                scale = 1.0 - thr[g] / (L * nrm) if nrm * L > thr[g] else 0.0
            for t in range(s, e):
                j = order[t]
                delta = scale * buf[t - s] - w[j]
                if delta != 0.0:
                    _col_axpy(D, j, -delta, r)
                    w[j] += delta
        if n_anderson > 0:
            slot = epoch % (n_anderson + 1)
            hist[slot] = w[feat]
            if slot == n_anderson:
                _anderson_ls(D, y, w, r, ws, feat, ptr, thr, hist, positive)
        if (epoch + 1) % check_every == 0 or epoch == max_epochs - 1:
            gap = _ls_ws_gap(D, y, w, r, ws, feat, ptr, thr, positive)
            if gap <= tol_in:
                return epoch + 1, gap
    return max_epochs, gap


@njit(cache=True)
def _log1pexp(t):
    return t + np.log1p(np.exp(-t)) if t > 0 else np.log1p(np.exp(t))


@njit(cache=True)
def _sigmoid(t):
    if t >= 0:
        return 1.0 / (1.0 + np.exp(-t))
    e = np.exp(t)
    return e / (1.0 + e)


@njit(cache=True)
def _loss_change(y, z, t, dz, p):
    """sum_i p_i [log1pexp(-y_i(z_i + t dz_i)) - log1pexp(-y_i z_i)], cancellation-free."""
    s = 0.0
    for i in range(y.size):
        a = -y[i] * z[i]
        delta = -y[i] * t * dz[i]
        if delta > 30.0:
            s += p[i] * (_log1pexp(a + delta) - _log1pexp(a))
        else:
            s += p[i] * np.log1p(_sigmoid(a) * np.expm1(delta))
    return s


@njit(cache=True)
def _penalty_change(ws, ptr, thr, w, feat, d, t):
    """sum_g thr_g (||w_g + t d_g|| - ||w_g||) via (2t w.d + t^2 d.d) / (sum of norms)."""
    out = 0.0
    o = 0
    for g in ws:
        sz = ptr[g + 1] - ptr[g]
        ww = 0.0
        wd = 0.0
        dd = 0.0
        for k in range(o, o + sz):
            wk = w[feat[k]]
            ww += wk * wk
            wd += wk * d[k]
            dd += d[k] * d[k]
        old = np.sqrt(ww)
        new = np.sqrt(max(ww + 2.0 * t * wd + t * t * dd, 0.0))
        if new + old > 0.0:
            out += thr[g] * (2.0 * t * wd + t * t * dd) / (new + old)
        o += sz
    return out


@njit(cache=True)
def _block_lipschitz(D, feat, o, sz, h):
    """lambda_max(X_g' diag(h) X_g) for the block feat[o:o+sz]."""
    n = h.size
    if sz == 1:
        return _col_wdot2(D, feat[o], feat[o], h, n)
    M = np.empty((sz, sz))
    for a in range(sz):
        for b in range(a, sz):
            s = _col_wdot2(D, feat[o + a], feat[o + b], h, n)
            M[a, b] = s
            M[b, a] = s
    return np.linalg.eigvalsh(M)[-1]


@njit(cache=True)
def l2_min_positive(l2, feat):
    """The smallest positive ``l2_j`` over ``feat``: the working-set gap estimate uses it for
    the conjugate of the l2 term (the driver's certificate treats each feature exactly)."""
    out = np.inf
    for k in range(feat.size):
        if l2[feat[k]] > 0.0:
            out = min(out, l2[feat[k]])
    return out


@njit(cache=True)
def logreg_ws_solve(D, y, w, z, ws, order, ptr, thr, tol_in, max_newton, max_cd,
                    positive, p, l2):
    """Proximal Newton on the groups ``ws`` of
    ``sum_i p_i log(1+exp(-y_i z_i)) + psi(w) + sum_j l2_j w_j^2 / 2``.

    ``p`` are sample weights summing to 1 (``1/n`` for the plain mean), ``l2`` one elastic-net
    coefficient per feature. Groups with ``thr_g = 0`` are unpenalized: their prox is the
    identity, and (without an l2 term) the working-set gap leaves them out, requiring instead
    ``||grad_g|| <= sqrt(tol_in)`` (the driver refits them exactly before it certifies).
    ``w`` and ``z = Xw (+ offsets)`` are updated in place. Stops when the working-set gap is
    at most ``tol_in`` or a Newton direction gives no decrease. Returns
    ``(newton_steps, gap)``.
    """
    n = y.shape[0]
    feat = _ws_features(ws, order, ptr)
    m = feat.size
    G = ws.size
    a = np.empty(n)
    h = np.empty(n)
    gr = np.empty(m)
    lips = np.empty(G)
    d = np.empty(m)
    xd = np.empty(n)
    buf = np.empty(m)
    gap = np.inf
    thr_max = 0.0
    for g in ws:
        thr_max = max(thr_max, thr[g])
    has_l2 = False
    for k in range(m):
        has_l2 = has_l2 or l2[feat[k]] > 0.0
    for it in range(max_newton):
        loss = 0.0
        for i in range(n):
            s = _sigmoid(-y[i] * z[i])
            a[i] = -y[i] * s * p[i]
            h[i] = s * (1.0 - s) * p[i]
            loss += p[i] * _log1pexp(-y[i] * z[i])
        ridge = 0.0
        for k in range(m):
            j = feat[k]
            gr[k] = _col_dot(D, j, a) + l2[j] * w[j]
            ridge += 0.5 * l2[j] * w[j] * w[j]
        # working-set gap (entropy dual) and KKT violation, used as the forcing term
        dn = 0.0
        viol = 0.0
        free_viol = 0.0
        conj = 0.0
        o = 0
        for q in range(G):
            g = ws[q]
            sz = ptr[g + 1] - ptr[g]
            sg = 0.0
            sd = 0.0
            sw = 0.0
            for k in range(o, o + sz):
                one_sided = positive and thr[g] > 0.0      # the intercept stays free
                gk = min(gr[k], 0.0) if one_sided else gr[k]  # only -grad > thr violates
                sg += gk * gk
                dk = gr[k] - l2[feat[k]] * w[feat[k]]          # data part: -X_g' alpha
                dk = min(dk, 0.0) if one_sided else dk
                sd += dk * dk
                sw += w[feat[k]] ** 2
            if has_l2:
                conj += max(np.sqrt(sd) - thr[g], 0.0) ** 2
            elif thr[g] > 0.0:
                dn = max(dn, np.sqrt(sd) / thr[g])
            else:
                free_viol = max(free_viol, np.sqrt(sg))
            if sw > 0.0:
                rv = 0.0
                for k in range(o, o + sz):
                    rv += (gr[k] + thr[g] * w[feat[k]] / np.sqrt(sw)) ** 2
                viol = max(viol, np.sqrt(rv))
            else:
                viol = max(viol, np.sqrt(sg) - thr[g])
            o += sz
        pen = _penalty_on(ws, ptr, thr, w[feat])
        c = 1.0 / max(1.0, dn)
        dual = 0.0
        for i in range(n):
            s = _sigmoid(-y[i] * z[i])
            cs = c * s
            om = _sigmoid(y[i] * z[i]) + (1.0 - c) * s
            if cs > 0.0:
                dual -= p[i] * cs * np.log(cs)
            if om > 0.0:
                dual -= p[i] * om * np.log(om)
        if has_l2:
            dual -= conj / (2.0 * l2_min_positive(l2, feat))
        gap = loss + pen + ridge - dual
        if gap <= tol_in and free_viol * free_viol <= tol_in:
            return it, gap
        # minimise the quadratic model by block CD
        o = 0
        for q in range(G):
            sz = ptr[ws[q] + 1] - ptr[ws[q]]
            l2_g = 0.0
            for k in range(o, o + sz):
                l2_g = max(l2_g, l2[feat[k]])
            lips[q] = _block_lipschitz(D, feat, o, sz, h) + l2_g
            o += sz
        d[:] = 0.0
        xd[:] = 0.0
        for cd in range(max_cd):
            change = 0.0
            o = 0
            for q in range(G):
                g = ws[q]
                sz = ptr[g + 1] - ptr[g]
                L = lips[q]
                if L > 0.0:
                    sq = 0.0
                    for k in range(o, o + sz):
                        j = feat[k]
                        mg = gr[k] + l2[j] * d[k] + _col_wdot(D, j, h, xd)
                        v = w[j] + d[k] - mg / L
                        buf[k] = v
                        sq += v * v
                    nrm = np.sqrt(sq)
                    if positive and thr[g] > 0.0:
                        scale = 1.0 - thr[g] / (L * buf[o]) if buf[o] * L > thr[g] else 0.0
                    else:
                        scale = 1.0 - thr[g] / (L * nrm) if nrm * L > thr[g] else 0.0
                    ch = 0.0
                    for k in range(o, o + sz):
                        j = feat[k]
                        delta = scale * buf[k] - w[j] - d[k]
                        if delta != 0.0:
                            _col_axpy(D, j, delta, xd)
                            d[k] += delta
                            ch += delta * delta
                    change = max(change, L * np.sqrt(ch))
                o += sz
            # forcing term min(0.1, viol/thr) * viol: superlinear outer convergence
            if change <= min(0.1, viol / thr_max) * viol:
                break
        # Armijo backtracking on the true objective; differences are formed term by term
        # (no cancellation), so the test stays meaningful when the decrease is ~1e-16 * F
        decrease = gr @ d + _penalty_change(ws, ptr, thr, w, feat, d, 1.0)
        if not decrease < 0.0:
            return it, gap
        t = 1.0
        while t > 1e-12:
            change = _loss_change(y, z, t, xd, p) + _penalty_change(ws, ptr, thr, w, feat, d, t)
            for k in range(m):
                j = feat[k]
                change += l2[j] * t * d[k] * (w[j] + 0.5 * t * d[k])
            if change <= 1e-4 * t * decrease:
                break
            t *= 0.5
        for k in range(m):
            buf[k] = w[feat[k]] + t * d[k]
        for k in range(m):
            w[feat[k]] = buf[k]
        for i in range(n):
            z[i] += t * xd[i]
    return max_newton, gap
