"""Recorded curves: a claim that checks a trajectory or a rate keeps a thinned copy of it.

A claim passes ``details={"trajectory": trajectory(t, measured, bound)}`` to ``upper`` (or
any outcome helper); the claims report draws every such dict as measured against bound over
``t``. Curves are thinned to at most ``max_points`` points so the JSON stays small.
"""

import numpy as np


def trajectory(t, measured, bound=None, x_label="t", y_label="", log_x=False, log_y=True,
               max_points=200):
    """A curve to record in a claim's details.

    Parameters
    ----------
    t : array_like
        Abscissa (iteration, horizon, batch size, ...), one value per point.
    measured : array_like
        The measured curve, same length as ``t``.
    bound : array_like or float, optional
        The bound or reference value at each ``t`` (a scalar is broadcast).
    x_label, y_label : str
        Axis labels for the plot.
    log_x, log_y : bool
        Axis scales suggested for the plot.
    max_points : int
        Keep at most this many points (evenly spaced indices, always the first and last).

    Returns
    -------
    dict
        ``t``, ``measured``, ``bound`` (lists of floats) and the plot hints.
    """
    t = np.asarray(t, dtype=float).ravel()
    m = np.asarray(measured, dtype=float).ravel()
    if m.shape != t.shape:
        raise ValueError(f"measured has {m.size} points but t has {t.size}")
    out = {"x_label": x_label, "y_label": y_label, "log_x": bool(log_x), "log_y": bool(log_y)}
    keep = np.unique(np.linspace(0, t.size - 1, min(max_points, t.size)).round().astype(int))
    out["t"], out["measured"] = t[keep], m[keep]
    if bound is not None:
        b = np.broadcast_to(np.asarray(bound, dtype=float), t.shape)
        out["bound"] = b[keep]
    return out
