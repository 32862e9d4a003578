"""Built-in recommendation strategies, one module each (a pluggy plugin per module)."""

MODULES: tuple[str, ...] = (
    "shoprec.plugins.strategies.popularity",
    "shoprec.plugins.strategies.transformer",
    "shoprec.plugins.strategies.ease",
    "shoprec.plugins.strategies.als",
    "shoprec.plugins.strategies.itemknn",
    "shoprec.plugins.strategies.content",
    "shoprec.plugins.strategies.multitask",
    "shoprec.plugins.strategies.bought_together",
    "shoprec.plugins.strategies.blend",
)
