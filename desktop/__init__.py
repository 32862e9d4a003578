"""ShopRec's desktop app (PySide6): a thin front end over :mod:`shoprec.core`.

How it fits together:

- :mod:`.app` — ``run(workspace_path)`` starts the app (``shoprec gui`` calls it);
- :mod:`.preflight` — before Qt loads: the system libraries its X11 plugin lacks, if any;
- :mod:`.main_window` — the window, its menus, status bar and tabs;
- :mod:`.session` — the open workspace (a read connection on the GUI thread) and the plugins;
- :mod:`.worker` — the one way to run long core calls: off the GUI thread, progress and cancel
  through the core's own callback and token, outcomes delivered back on the GUI thread;
- :mod:`.forms` — settings forms built from any strategy's params dataclass;
- :mod:`.models` — table models over SQL queries (fetched lazily) and row lists;
- :mod:`.widgets` — message bar, empty-state note, progress panel;
- :mod:`.tabs` — one module per tab: Data, Customers, one per strategy, Compare, Export, Plugins.

Nothing in the core imports this package; it imports the core.
"""
