"""ShopRec's built-in plugins: import formats, strategies and exporters.

They register exactly as a third-party plugin does: through the ``shoprec`` entry points
(pyproject.toml, ``[project.entry-points.shoprec]``, named ``<kind>.<plugin>``) and the hooks in
``shoprec.core.contracts.hookspecs``; ``shoprec.core.registry.builtin_plugins()`` lists them.
"""
