"""Figures: ``python -m figures list|NAME|all [--quick] [--out DIR]``.

Each non-underscore module registers figures with :func:`figure`; data are cached by a hash
of the figure's parameters (see :func:`cached`), so re-rendering is instant.
"""

import importlib
import pkgutil

from ._registry import FIGURES, cache_dir, cached, figure, new_figure, save

_SKIP = {"cli"}


def load():
    """Import every figure module; returns the registry."""
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_") and mod.name not in _SKIP:
            importlib.import_module(f"{__name__}.{mod.name}")
    return FIGURES


__all__ = ["figure", "cached", "new_figure", "save", "cache_dir", "load", "FIGURES"]
