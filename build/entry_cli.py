"""Frozen-app entry point of the ``shoprec`` command line.

``shoprec --bundle-check`` (installers only) proves the bundle is complete and offline: it loads
the bundled MiniLM model from inside the app with downloads forbidden, encodes a sentence, loads
every built-in plugin, and exits non-zero on any failure. CI runs it on each installer.
"""

import sys

if sys.argv[1:2] == ["--shoprec-import-parser"]:  # the importer's parser process (core/importing/worker.py)
    from shoprec.core.importing.worker import main as parser_main

    parser_main()
    sys.exit(0)

from shoprec.core import offline  # noqa: F401  (before anything imports Hugging Face code)


def bundle_check() -> int:
    import os

    from shoprec.core.plugins import get_plugin_manager
    from shoprec.core.text import minilm_path

    problems = []
    path = minilm_path()
    if path is None or not (path / "model.safetensors").is_file():
        problems.append(f"bundled MiniLM model missing (looked in {path})")
    else:
        import torch
        from transformers import AutoModel, AutoTokenizer

        assert os.environ.get("HF_HUB_OFFLINE") == "1"
        tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModel.from_pretrained(str(path), local_files_only=True)
        with torch.no_grad():
            out = model(**tok(["Enamelled cast iron skillet"], return_tensors="pt"))
        dim = out.last_hidden_state.shape[-1]
        if dim != 384:
            problems.append(f"MiniLM gave {dim}-dimensional vectors, expected 384")
        print(f"MiniLM: {path} ({dim} dimensions)")
    pm = get_plugin_manager(entry_points=False)
    for name, (_source, _version, error) in pm.failures.items():
        problems.append(f"plugin {name} failed: {error}")
    print(f"plugins: {len(pm.sources)} loaded, {len(pm.failures)} failed")
    for problem in problems:
        print(f"bundle check: {problem}", file=sys.stderr)
    print("bundle check: ok" if not problems else "bundle check: FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--bundle-check"]:
        sys.exit(bundle_check())
    from shoprec.core.cli import main

    main()
