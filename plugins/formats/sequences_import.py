"""Item sequences (one customer per line) and customer-item pairs (one event per line), space-separated.

The layout of the sequential-recommendation benchmarks (SASRec, gSASRec ``input.txt``):
``149 39 1069 184`` is one customer who took item 149, then 39, then 1069, then 184. The file
has no header, no customer ids and no times, so the customer is the record's number (1 for the
first line, as those benchmarks count users) and the events are one day apart in their order,
from 2000-01-01. Each line is one record: imported, a duplicate or rejected whole.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

START = 946_684_800  # 2000-01-01 00:00:00 UTC, the first event of every line
STEP = 86_400  # one day between a customer's events: their order is all the file says
_TOKENS = re.compile(r"\S+")


def _single_column_lines(rows: list[list[str]]) -> list[str] | None:
    """The sample's lines when (nearly) all are one column without , or ; (else None)."""
    filled = [r for r in rows if any(c.strip() for c in r)]  # a blank line says nothing
    lines = [r[0] for r in filled if len(r) == 1]
    if len(lines) < 2 or len(lines) < 0.9 * len(filled):
        return None
    if any("," in line or ";" in line for line in lines):
        return None
    return lines


def _looks_like_pairs(rows: list[list[str]]) -> bool:
    """``customer item`` lines (the SASRec ``Video.txt`` layout): exactly two ids a line, and
    the first repeats on consecutive lines (a customer's events are grouped)."""
    lines = _single_column_lines(rows)
    if lines is None:
        return False
    tokens = [_TOKENS.findall(line) for line in lines]
    if sum(len(t) == 2 for t in tokens) < 0.95 * len(tokens):
        return False
    firsts = [t[0] for t in tokens if len(t) == 2]
    repeats = sum(a == b for a, b in zip(firsts, firsts[1:], strict=False))
    return repeats >= 0.3 * max(1, len(firsts) - 1)


def _looks_like_sequences(rows: list[list[str]]) -> bool:
    """Single-column lines of space-separated ids, most of them more than one (and not
    ``customer item`` pairs, which look the same two ids at a time)."""
    lines = _single_column_lines(rows)
    if lines is None or _looks_like_pairs(rows):
        return False
    several = sum(len(_TOKENS.findall(line)) >= 2 for line in lines)
    return several >= 0.8 * len(lines)


def _prepare(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    offset = int(state.get("records", 0))
    state["records"] = offset + int(df["_k"].max()) + 1
    items = df["item"].astype(str).str.split()
    out = pd.DataFrame({"_k": df["_k"].to_numpy(), "item": items}).explode("item")
    out["item"] = out["item"].fillna("")  # a blank line: one event without an item, a reject
    position = out.groupby("_k", sort=False).cumcount().to_numpy()
    out["customer"] = (out["_k"].to_numpy() + offset + 1).astype(str)
    out["time"] = (START + STEP * position).astype(np.int64).astype(str)
    return out.reset_index(drop=True)


def _prepare_pairs(df: pd.DataFrame, state: dict[str, Any]) -> pd.DataFrame:
    """``customer item`` per line; the line's number keeps the file's order as time."""
    offset = int(state.get("records", 0))
    state["records"] = offset + int(df["_k"].max()) + 1
    parts = df["item"].astype(str).str.split(n=1, expand=True).reindex(columns=[0, 1]).fillna("")
    return pd.DataFrame({
        "_k": df["_k"].to_numpy(),
        "customer": parts[0].str.strip().to_numpy(),
        "item": parts[1].str.strip().to_numpy(),  # a line with one id: a reject (no product id)
        "time": (START + df["_k"].to_numpy() + offset).astype(np.int64).astype(str),
    })


PAIRS = FormatSpec(
    name="pairs",
    title="Customer and item per line (space-separated)",
    description="Each line 'customer item', lines in time order (the SASRec Video.txt layout); "
                "events one second apart in the file's order.",
    columns={"item": ("customer item",)},
    required=("item",),
    signature=("customer item",),
    headerless=("item",),
    headerless_check=_looks_like_pairs,
    delimiters=(",",),
    prepare=_prepare_pairs,
    priority=-1,
)

SEQUENCES = FormatSpec(
    name="sequences",
    title="Item sequences (one customer per line)",
    description="Each line one customer's items in order, separated by spaces (SASRec / gSASRec "
                "input.txt); customer = line number, events one day apart.",
    columns={"item": ("items",)},
    required=("item",),
    # Files with a header are never item sequences unless it names them: without a signature
    # this layout, needing only an item column, would outscore the generic log on any header.
    signature=("items",),
    headerless=("item",),
    headerless_check=_looks_like_sequences,
    delimiters=(",",),
    prepare=_prepare,
    priority=-1,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [PAIRS, SEQUENCES]
