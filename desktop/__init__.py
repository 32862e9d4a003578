"""ShopRec's desktop app (PySide6): a thin front end over :mod:`shoprec.core`.

How it fits together:

- :mod:`.app` — ``run(workspace_path)`` starts the app (``shoprec gui`` calls it): language,
  colours, then the window; torch and the plugins load after the window is visible;
- :mod:`.preflight` — before Qt loads: the system libraries its X11 plugin lacks, if any;
- :mod:`.main_window` — the window, menus, status bar, drops, Preferences, Help → Plugins;
- :mod:`.session` — the open workspace (a read connection on the GUI thread) and the plugins;
- :mod:`.worker` — the one way to run long core calls: off the GUI thread, progress and cancel
  through the core's own callback and token, outcomes delivered back on the GUI thread;
  :mod:`.process_worker` does the same in a separate process (training);
- :mod:`.forms` — settings forms built from any strategy's params dataclass;
- :mod:`.import_preview` — how a file will be read, with the column mapping editable;
- :mod:`.models` — table models over SQL queries (fetched lazily) and row lists;
- :mod:`.widgets` — message bar, empty-state note, progress panel (phases, time left);
- :mod:`.texts`, :mod:`.reasons`, :mod:`.i18n` — plain words for what plugins name, reasons
  in the user's language, Qt translators (Simplified Chinese, English);
- :mod:`.style`, :mod:`.settings` — palette-aware colours, QSettings;
- :mod:`.tabs` — one module per page: Start, Data, Customers, Recommendations (a
  :mod:`~.tabs.strategy` page per strategy inside), Compare, Campaigns (when present), Export.

Nothing in the core imports this package; it imports the core.
"""
