"""Item sequences: one customer per line, their items in order, separated by spaces.

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
from shoprec.core.importing.formats import FormatSpec

START = 946_684_800  # 2000-01-01 00:00:00 UTC, the first event of every line
STEP = 86_400  # one day between a customer's events: their order is all the file says
_TOKENS = re.compile(r"\S+")


def _looks_like_sequences(rows: list[list[str]]) -> bool:
    """Single-column lines of space-separated ids, most of them more than one."""
    filled = [r for r in rows if any(c.strip() for c in r)]  # a blank line says nothing
    lines = [r[0] for r in filled if len(r) == 1]
    if len(lines) < 2 or len(lines) < 0.9 * len(filled):
        return False
    several = sum(len(_TOKENS.findall(line)) >= 2 for line in lines)
    return several >= 0.8 * len(lines) and not any("," in line or ";" in line for line in lines)


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
    return [SEQUENCES]
