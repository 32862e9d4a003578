"""Built-in import formats, one module per shop platform or log layout.

Module names end in ``_import`` so that plugin names (the module's last dotted part) never clash
with the exporters for the same platform (``shopify`` is the exporter, ``shopify_import`` this).
Each module is registered as an entry point ``formats.<module>`` in pyproject.toml.
"""
