"""Built-in exporters, one module per destination family."""

MODULES: tuple[str, ...] = (
    "shoprec.plugins.exporters.lists",
    "shoprec.plugins.exporters.email",
    "shoprec.plugins.exporters.shopify",
    "shoprec.plugins.exporters.woocommerce",
    "shoprec.plugins.exporters.magento",
    "shoprec.plugins.exporters.together",
    "shoprec.plugins.exporters.campaigns",
)
