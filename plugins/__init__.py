"""ShopRec's built-in plugins: import formats, strategies and exporters.

They register through the same hooks as third-party plugins (``shoprec.core.contracts.hookspecs``). Each
sub-package lists its modules in ``MODULES``; :data:`BUILTIN_PLUGINS` is their union.
"""

from .exporters import MODULES as _EXPORTERS
from .formats import MODULES as _FORMATS
from .strategies import MODULES as _STRATEGIES

#: Dotted module names of the built-in plugins, registered in this order.
BUILTIN_PLUGINS: tuple[str, ...] = _FORMATS + _STRATEGIES + _EXPORTERS
