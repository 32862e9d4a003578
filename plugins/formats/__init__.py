"""Built-in import formats, one module per shop platform or log layout.

Module names end in ``_import`` so that plugin names (the module's last dotted part) never clash
with the exporters for the same platform (``shopify`` is the exporter, ``shopify_import`` this).
"""

MODULES: tuple[str, ...] = tuple(
    f"shoprec.plugins.formats.{name}_import"
    for name in ("shopify", "woocommerce", "square", "etsy", "prestashop", "magento",
                 "movielens", "taobao", "sequences", "generic")
)
