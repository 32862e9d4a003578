"""Pick the format of a file from its header (or, headerless, from its first rows) and map columns.

The user's ``--map COLUMN=FIELD`` pairs are applied first and always win; ``--format NAME`` skips
detection. A file with no header is read with the ``headerless`` layout of a format whose check
accepts the sample rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..contracts.formats import FIELDS, FormatSpec, normalize_header
from .errors import ImportFailed


@dataclass(frozen=True)
class Layout:
    """The decision: which format, whether there is a header, and column index -> field."""

    spec: FormatSpec
    has_header: bool
    header: list[str]  # column names (``column 1``... when the file has none)
    columns: dict[int, str]  # column index -> field

    def mapping(self) -> dict[str, str]:
        """column name -> field, as stored in ``imports.mapping``."""
        return {self.header[i]: f for i, f in sorted(self.columns.items()) if i < len(self.header)}


_NUMBERISH = re.compile(r"^[-+]?[\d.,:/ \-TZ+]+$")


def _looks_like_header(row: list[str], specs: list[FormatSpec], rest: list[list[str]]) -> bool:
    known = set()
    for spec in specs:
        known.update(spec.header_index())
    norm = [normalize_header(c) for c in row]
    if sum(1 for c in norm if c in known) >= 2 or (len(row) == 1 and norm[0] in known):
        return True
    # Unknown names: a header has no number-like cells where the data rows have them.
    if any(_NUMBERISH.match(c.strip()) for c in row if c.strip()):
        return False
    return any(
        all(_NUMBERISH.match(r[i].strip()) for r in rest[:20] if i < len(r) and r[i].strip())
        and any(i < len(r) and r[i].strip() for r in rest[:20])
        for i in range(len(row))
    )


def parse_mapping(pairs: dict[str, str] | None, path: Path) -> dict[str, str]:
    """Validate user mapping ``column -> field``."""
    out: dict[str, str] = {}
    for col, fld in (pairs or {}).items():
        fld = fld.strip().lower()
        if fld not in FIELDS:
            raise ImportFailed(path, f"--map {col}={fld}: unknown field {fld!r}; known: {', '.join(FIELDS)}")
        out[col.strip()] = fld
    return out


def _apply_user_mapping(
    header: list[str], columns: dict[int, str], user: dict[str, str], path: Path
) -> dict[int, str]:
    columns = dict(columns)
    norm = [normalize_header(h) for h in header]
    for col, fld in user.items():
        idx = None
        if col in header:
            idx = header.index(col)
        elif normalize_header(col) in norm:
            idx = norm.index(normalize_header(col))
        elif col.isdigit() and 1 <= int(col) <= len(header):  # "3=quantity": third column
            idx = int(col) - 1
        if idx is None:
            raise ImportFailed(path, f"--map {col}={fld}: no column {col!r} (columns: {', '.join(header)})")
        # The field now comes from this column only.
        columns = {i: f for i, f in columns.items() if f != fld and i != idx}
        columns[idx] = fld
    return {i: f for i, f in columns.items() if f != "ignore"}


def _missing(spec: FormatSpec, columns: dict[int, str]) -> list[str]:
    have = set(columns.values())
    missing = [f for f in spec.required if f not in have]
    if spec.kind == "events" and not have & {"item", "sku", "title", "products"}:
        missing.append("item")
    return missing


def detect(
    path: Path,
    sample_rows: list[list[str]],
    delimiter: str,
    specs: list[FormatSpec],
    *,
    format_name: str | None = None,
    user_mapping: dict[str, str] | None = None,
) -> Layout:
    """Decide the layout of ``path`` from its parsed sample rows."""
    if not sample_rows:
        raise ImportFailed(path, "no rows found")
    by_name = {s.name: s for s in specs}
    if format_name is not None and format_name not in by_name:
        raise ImportFailed(path, f"unknown format {format_name!r}; known: {', '.join(sorted(by_name))}")
    user = parse_mapping(user_mapping, path)
    first, rest = sample_rows[0], sample_rows[1:]
    candidates = [by_name[format_name]] if format_name else specs
    has_header = _looks_like_header(first, specs, rest)
    if format_name and not has_header and not candidates[0].headerless:
        has_header = True  # the user says what it is; a header we do not know is still a header

    if has_header:
        header = [c.strip().lstrip("\ufeff") for c in first]
        scored = []
        for spec in candidates:
            cols, sig = spec.match(header)
            cols = _apply_user_mapping(header, cols, user, path)
            if _missing(spec, cols):
                continue
            if not format_name and spec.signature and sig < spec.min_signature:
                continue
            scored.append((2 * sig + len(cols) + spec.priority, spec.priority, spec, cols))
        if not scored:
            if format_name:
                spec = candidates[0]
                cols = _apply_user_mapping(header, spec.match(header)[0], user, path)
                raise ImportFailed(
                    path,
                    f"not a {spec.title} file: no column for {', '.join(_missing(spec, cols))} "
                    f"(use --map COLUMN=FIELD; columns: {_short(header)})",
                )
            raise ImportFailed(
                path,
                f"unknown layout: columns {_short(header)} match no known format "
                "(use --format NAME and --map COLUMN=FIELD)",
            )
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        _, _, spec, cols = scored[0]
        _refuse_duplicated_columns(path, header, cols)
        return Layout(spec, True, header, cols)

    width = max(len(r) for r in sample_rows[:20])
    header = [f"column {i + 1}" for i in range(width)]
    name_hint = path.name.lower()
    for spec in sorted(candidates, key=lambda s: (name_hint not in s.file_names, -s.priority)):
        if not spec.headerless or len(spec.headerless) != width:
            continue
        if spec.delimiters and delimiter not in spec.delimiters:
            continue
        if spec.headerless_check is not None and not spec.headerless_check(sample_rows[:50]):
            continue
        cols = {i: f for i, f in enumerate(spec.headerless) if f}
        cols = _apply_user_mapping(header, cols, user, path)
        if not _missing(spec, cols):
            return Layout(spec, False, header, cols)
    if user:  # headerless, but the user named the columns: the generic event log takes them
        generic = by_name.get(format_name or "events")
        if generic is not None:
            cols = _apply_user_mapping(header, {}, user, path)
            if not _missing(generic, cols):
                return Layout(generic, False, header, cols)
    raise ImportFailed(
        path,
        f"unknown layout: no header and {width} columns like {_short(first)} match no known format "
        "(use --map 1=customer --map 2=item ...)",
    )


def _refuse_duplicated_columns(path: Path, header: list[str], cols: dict[int, str]) -> None:
    """A column used for a field whose header appears twice: which one is meant is a guess."""
    norm = [normalize_header(h) for h in header]
    for i in sorted(cols):
        same = [j + 1 for j, h in enumerate(norm) if h and h == norm[i]]
        if len(same) > 1:
            raise ImportFailed(
                path,
                f"the column {header[i]!r} appears {len(same)} times (columns "
                f"{', '.join(map(str, same))}); rename or delete all but one",
            )


def _short(cells: list[str], n: int = 6) -> str:
    shown = ", ".join(repr(c[:30]) for c in cells[:n])
    return shown + (f", ... ({len(cells)} columns)" if len(cells) > n else "")
