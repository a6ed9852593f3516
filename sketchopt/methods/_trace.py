"""The record every method run returns."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Trace:
    """Iterates or statistics at the recorded steps of one run.

    Attributes
    ----------
    steps : ndarray of int
        Iteration numbers that were recorded.
    x : ndarray of shape (len(steps), d) or None
        Iterates at those steps (None when only statistics were kept).
    stats : dict of str -> ndarray
        Per-record statistics (e.g. ``"dist2"``, ``"objective"``, ``"support_size"``).
    grad_evals : dict of str -> int
        Gradient-oracle counts, separately per function where it matters (``"f"``, ``"h"``).
    seconds : float
        Wall time of the kernel call (compilation excluded after warm-up).
    meta : dict
        Method name and parameters.
    """
    steps: np.ndarray
    x: np.ndarray = None
    stats: dict = field(default_factory=dict)
    grad_evals: dict = field(default_factory=dict)
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def final(self):
        """The last recorded iterate."""
        return None if self.x is None else self.x[-1]
