"""ShopRec core: workspace, importing, datasets, strategies, scoring, evaluation.

Nothing in this package imports Qt; the desktop and the CLI are thin front ends over it.
"""

import pluggy

__version__ = "0.1.0"

#: Marker for plugin hook implementations: ``from shoprec.core import hookimpl``.
hookimpl = pluggy.HookimplMarker("shoprec")

__all__ = ["__version__", "hookimpl"]
