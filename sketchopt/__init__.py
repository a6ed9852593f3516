"""sketchopt: a convex-optimization theory testbed.

Exact NumPy/SciPy references and Numba kernels for four papers (MAST, optimisation with
auxiliary information, spred, RAMDA), checked claim by claim against closed-form or certified
solutions. See ``python -m theory_checks --list``.
"""

__version__ = "0.1.0"
