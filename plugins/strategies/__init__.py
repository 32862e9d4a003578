"""Built-in recommendation strategies, one module each (a pluggy plugin per module), registered
as entry points ``strategies.<module>`` in pyproject.toml."""
