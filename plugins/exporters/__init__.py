"""Built-in exporters, one module per destination family."""

MODULES: tuple[str, ...] = ()
