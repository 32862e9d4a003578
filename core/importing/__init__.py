"""Importing shop exports into the workspace (see ``core.importing`` modules)."""
