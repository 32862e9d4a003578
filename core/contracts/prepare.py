"""Reusable ``prepare`` steps for format plugins (vectorised over a chunk's frame of strings)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd


def fill_order_fields(df: pd.DataFrame, state: dict[str, Any], fields: tuple[str, ...]) -> pd.DataFrame:
    """Copy order-level fields from an order's first line item to its other line items.

    Shopify (and several WooCommerce plugins) write e-mail, dates and status only on the first
    row of each order. Rows are grouped by ``order``; an order continuing from the previous
    chunk gets the values remembered in ``state``.
    """
    if "order" not in df or df.empty:
        return df
    fields = tuple(f for f in fields if f in df)
    if not fields:
        return df
    df = df.copy()
    order = df["order"]
    last_order = state.get("fill_order")
    last_values: dict[str, str] = state.get("fill_values", {})
    for f in fields:
        s = df[f].where(df[f].str.strip() != "")
        s = s.groupby(order, sort=False).ffill()
        if last_order is not None and f in last_values:
            s = s.where(~(s.isna() & (order == last_order)), last_values[f])
        df[f] = s.fillna("").astype(str)
    tail = df.iloc[-1]
    state["fill_order"] = tail["order"]
    state["fill_values"] = {f: tail[f] for f in fields}
    return df


_BASKET_PART = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[×xX*]\s*(.+?)\s*$")


def explode_baskets(df: pd.DataFrame, column: str = "products") -> pd.DataFrame:
    """One row per product of a packed basket cell ``2× Blue mug, 1× Tea``.

    Sets ``title`` and ``quantity`` for each product; a part that is not ``N× name`` becomes one
    unit of that name. Rows keep their ``_k`` so the accounting stays per input record.
    """
    if column not in df or df.empty:
        return df
    parts = df[column].astype(str).str.split(r",\s*(?=\d+(?:[.,]\d+)?\s*[×xX*]\s*)", regex=True)
    out = df.drop(columns=[column]).assign(_part=parts).explode("_part", ignore_index=True)
    out["_part"] = out["_part"].fillna("").astype(str)
    m = out["_part"].str.extract(_BASKET_PART)
    has = m[0].notna()
    out["title"] = m[1].where(has, out["_part"].str.strip()).fillna("").astype(str)
    out["quantity"] = m[0].where(has, "1").fillna("1").astype(str)
    # Line totals belong to the whole order, not to each product.
    if "value" in out:
        out["value"] = out["value"].where(~out["_k"].duplicated(keep=False), "")
    return out.drop(columns=["_part"])


def join_date_time(df: pd.DataFrame) -> pd.DataFrame:
    """Put a separate time-of-day column (``clock``) after the date in ``time``."""
    if "clock" not in df or "time" not in df:
        return df
    df = df.copy()
    df["time"] = (df["time"].str.strip() + " " + df["clock"].str.strip()).str.strip()
    return df.drop(columns=["clock"])
