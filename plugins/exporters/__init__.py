"""Built-in exporters, one module per destination family, registered as entry points
``exporters.<module>`` in pyproject.toml."""
