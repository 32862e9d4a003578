"""``shoprec-cli --bundle-check``: does this installation really work, offline? One line says.

The installers run it on every build (CI, ``build/check_bundle.sh``); it also works in a source
install (``python build/entry_cli.py --bundle-check``). It fails - exit status 1 - when

- the bundled text model (all-MiniLM-L6-v2) does not load from inside the app or gives no vectors,
- a built-in plugin fails to load,
- any strategy fails to train on a small generated shop (the demo would fall back to another), or
- the desktop window cannot be built (offscreen, so it runs on a machine without a screen).

Whatever happens it prints exactly one verdict line on stdout and never a traceback: everything
the libraries print on the way (warnings, progress, Qt messages) goes to a details file named in
the line when something failed.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ..runtime import offline  # noqa: F401  (before anything imports Hugging Face code)

#: Small, fast settings: the check proves each strategy trains, not that it trains well.
QUICK_PARAMS = {"max_epochs": 1, "epochs": 1, "time_budget_min": 0.05, "time_budget_s": 3.0,
                "iterations": 2}
SAMPLE_TEXT = "Enamelled cast iron skillet, 26 cm"


def _short(exc: BaseException) -> str:
    # The engine wraps a strategy's own failure in one line naming the strategy: say the cause.
    while exc.__cause__ is not None and type(exc).__name__ == "EngineError":
        exc = exc.__cause__
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 200 else line[:197] + "..."


class BundleCheck:
    """The steps of the check; each records facts (for the ok line) or problems (for FAILED)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.facts: list[str] = []
        self.problems: list[str] = []

    def step(self, name: str, fn: Callable[[], str | None]) -> None:
        try:
            fact = fn()
        except BaseException as exc:  # noqa: BLE001 - a check reports, it never crashes
            if isinstance(exc, KeyboardInterrupt):
                raise
            traceback.print_exc()  # into the details file
            self.problems.append(f"{name}: {_short(exc)}")
        else:
            if fact:
                self.facts.append(fact)

    # -- the steps ------------------------------------------------------------------------------

    def text_model(self) -> str:
        from ..models import text

        path = text.minilm_path()
        if path is None or not (path / "model.safetensors").is_file():
            raise RuntimeError(f"the bundled all-MiniLM-L6-v2 model is missing (looked in {path})")
        vecs = text.encode_items([SAMPLE_TEXT], encoder=text.MINILM, device="cpu")
        if vecs.shape != (1, 384) or not float(abs(vecs).sum()) > 0:
            raise RuntimeError(f"the text model gave vectors of shape {vecs.shape}, expected (1, 384)")
        return f"text model {path} (384 dimensions)"

    def plugins(self) -> str:
        from ..registry import get_plugin_manager

        pm = get_plugin_manager()
        for name, (_source, _version, error) in sorted(pm.failures.items()):
            self.problems.append(f"plugin {name}: {error}")
        return f"{len(pm.sources)} plugins"

    def strategies(self) -> str:
        import numpy as np

        from .. import demo, engine
        from ..data.dataset import Dataset
        from ..runtime.devices import resolve_device
        from ..store.workspace import Workspace

        shop = demo.generate_demo_shop(self.folder / "shop", n_customers=120, n_products=60)
        workspace = self.folder / "check.shoprec"
        demo.import_demo_shop(shop, workspace)
        trained = 0
        with Workspace(workspace) as ws:
            dataset = Dataset.from_workspace(ws)
            specs = engine.strategy_specs(ws=ws)
            device = resolve_device("cpu")
            for name, spec in specs.items():
                try:
                    params = spec.params()
                    quick = {f.name: QUICK_PARAMS[f.name] for f in dataclasses.fields(params)
                             if f.name in QUICK_PARAMS}
                    params = dataclasses.replace(params, **quick)
                    model = engine.fit_strategy(spec, params, dataset, device=device, seed=0)
                    scores = model.logits(np.arange(min(5, dataset.n_users)))
                    if getattr(scores, "shape", (0, 0))[-1] != dataset.n_items:
                        raise RuntimeError(f"scores of shape {getattr(scores, 'shape', None)}, "
                                           f"expected one per item ({dataset.n_items})")
                except BaseException as exc:  # noqa: BLE001
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    traceback.print_exc()
                    self.problems.append(f"strategy {name} does not train: {_short(exc)}")
                else:
                    trained += 1
        return f"{trained} of {len(specs)} strategies trained"

    def window(self) -> str:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed; the same widgets are built
        app_module = importlib.import_module("shoprec.desktop.app")  # by name: core knows no Qt
        app = app_module.application(["shoprec-bundle-check"])
        window = app_module.create_window(self.folder / "check.shoprec")
        try:
            window.show()
            app.processEvents()
            if not window.isVisible():
                raise RuntimeError("the main window was built but is not shown")
            title = window.windowTitle()
        finally:
            window.close()
            app.processEvents()
        return f"window built offscreen ({title!r})" if title else "window built offscreen"


def _child_writes(path: str, conn: object) -> None:
    """In a child process: open the workspace and write to it, as learning in a process does."""
    from ..store.workspace import Workspace

    with Workspace(path) as ws:
        ws.set_setting("bundle_check_child", "ok")
    conn.send("ok")  # type: ignore[attr-defined]


def child_process_check(folder: Path) -> str:
    """The desktop imports and learns in child processes (``spawn``): one must start from this
    program, open the workspace and write to it while this process has it open."""
    import multiprocessing as mp

    from ..store.workspace import Workspace

    path = folder / "child.shoprec"
    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    with Workspace(path) as ws:  # held open, as the window holds it
        child = ctx.Process(target=_child_writes, args=(str(path), there), daemon=True)
        child.start()
        child.join(120)
        if child.is_alive():
            child.kill()
            raise RuntimeError("a child process did not finish in 120 s")
        if child.exitcode != 0 or not here.poll() or here.recv() != "ok":
            raise RuntimeError(f"a child process failed (exit code {child.exitcode})")
        if ws.get_setting("bundle_check_child") != "ok":
            raise RuntimeError("a child process's write did not reach the workspace")
    return "a child process wrote to the workspace beside the window"


def run_checks(folder: Path) -> BundleCheck:
    """Run every step in ``folder`` (a scratch folder) and return what was found."""
    check = BundleCheck(folder)
    check.step("text model", check.text_model)
    check.step("plugins", check.plugins)
    check.step("strategies", check.strategies)
    check.step("desktop window", check.window)
    check.step("child process", lambda: child_process_check(folder))
    return check


def verdict(check: BundleCheck, seconds: float, details: Path | None) -> str:
    """The one line: ``bundle check: ok (...)`` or ``bundle check: FAILED: ...``."""
    if not check.problems:
        return f"bundle check: ok ({'; '.join(check.facts)}; {seconds:.0f} s)"
    where = f" (details: {details})" if details else ""
    # one cause often breaks many things (torch missing a file breaks every plugin): say it once
    grouped: dict[str, list[str]] = {}
    for problem in check.problems:
        what, sep, why = problem.partition(": ")
        grouped.setdefault(why if sep else problem, []).append(what if sep else "")
    parts = [f"{', '.join(w for w in whats if w)}: {why}" if any(whats) else why
             for why, whats in grouped.items()]
    return f"bundle check: FAILED: {'; '.join(parts)}{where}"


def main() -> int:
    """Run the check with all library output sent to a details file; print one line; 0 if ok."""
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="shoprec-bundle-check-"))
    details = scratch / "details.log"
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    check = BundleCheck(scratch)
    try:
        with open(details, "w", encoding="utf-8", errors="replace") as log:
            # at the descriptor level, so C++ libraries' messages (Qt, torch) land there too
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                check = run_checks(scratch)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
    except BaseException as exc:  # noqa: BLE001 - even an interrupted check ends with its line
        check.problems.append(f"the check stopped: {_short(exc)}")
    finally:
        os.close(saved[0])
        os.close(saved[1])
    print(verdict(check, time.perf_counter() - started, details if check.problems else None),
          flush=True)
    if not check.problems:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if check.problems else 0
