"""Built-in import formats, one module per shop platform or log layout."""

MODULES: tuple[str, ...] = ()
