"""spred (c): the 1-D landscape: L1 objective vs the reparametrised objective, saddle at 0."""

import numpy as np

from sketchopt.methods import spred_landscape as LS

from ._registry import figure, new_figure, save


@figure("spred_landscape", "spred",
        "1-D landscape (a=2, kappa=1): f1(w) and the balanced slice of f2 coincide; contours "
        "of f2(u,v) with the two minima and the saddle at the origin",
        claims=("SPRED-8", "SPRED-1"))
def render(quick=False, out_dir="figures_out"):
    a, kappa = 2.0, 1.0
    fig, (ax, ax2) = new_figure(1, 2, figsize=(10, 4))
    w = np.linspace(-1.5, 3.0, 400)
    ax.plot(w, (w - a) ** 2 / 2 + kappa * np.abs(w), label=r"$f_1(w)=(w-a)^2/2+\kappa|w|$")
    s = np.sign(w) * np.sqrt(np.abs(w))  # balanced lift u = s, v = |s|
    f2b = (s * np.abs(s) - a) ** 2 / 2 + kappa / 2 * (s ** 2 + s ** 2)
    ax.plot(w, f2b, "--", label=r"$f_2$ on the balanced set $|u|=|v|$, $w=uv$")
    u_off = 2 * np.sqrt(np.abs(w) + 1e-12)  # unbalanced lift u = 2 sqrt|w|
    ax.plot(w, (w - a) ** 2 / 2 + kappa / 2 * (u_off ** 2 + (w / u_off) ** 2), ":",
            label=r"$f_2$ on an unbalanced lift $u=2\sqrt{|w|}$")
    ax.plot([LS.one_d_solution(a, kappa)], [LS.one_d_min_value(a, kappa)], "k*", ms=10,
            label=r"$S_\kappa(a)$, value $\kappa|a|-\kappa^2/2$")
    ax.set_xlabel("w")
    ax.set_ylabel("objective")
    ax.legend(fontsize=7)
    ax.set_title(f"a={a:g}, kappa={kappa:g}: f2 >= f1 with equality iff balanced", fontsize=9)
    g = np.linspace(-2.2, 2.2, 301)
    U, V = np.meshgrid(g, g)
    F = (U * V - a) ** 2 / 2 + kappa / 2 * (U ** 2 + V ** 2)
    cs = ax2.contour(U, V, F, levels=np.linspace(F.min(), F.min() + 6, 25), cmap="viridis",
                     linewidths=0.8)
    fig.colorbar(cs, ax=ax2, label=r"$f_2(u,v)$")
    pts = LS.one_d_stationary_points(a, kappa)
    ax2.plot(pts[1:, 0], pts[1:, 1], "r*", ms=11, label="minima (uv = S(a))")
    o, _ = LS.one_d_hessian_eigs(a, kappa)
    ax2.plot([0], [0], "kx", ms=9, mew=2, label=f"saddle (eigs {o[0]:g}, {o[1]:g})")
    ax2.plot(g, g, "k:", lw=0.8, label="balanced |u| = |v|")
    ax2.plot(g, -g, "k:", lw=0.8)
    ax2.set_xlabel("u")
    ax2.set_ylabel("v")
    ax2.set_aspect("equal")
    ax2.legend(fontsize=7, loc="lower left")
    ax2.set_title(r"$f_2(u,v)=(uv-a)^2/2+\kappa(u^2+v^2)/2$", fontsize=9)
    return save(fig, out_dir, "spred_landscape")
