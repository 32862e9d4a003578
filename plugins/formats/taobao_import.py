"""Taobao / Tianchi UserBehavior logs: no header, user,item,category,behaviour,unix time."""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec

BEHAVIOURS = {"pv": "view", "cart": "cart", "fav": "fav", "buy": "purchase"}


def _looks_like_taobao(rows: list[list[str]]) -> bool:
    full = [r for r in rows if len(r) == 5]
    fits = sum(
        r[0].strip().isdigit() and r[1].strip().isdigit() and r[3].strip().lower() in BEHAVIOURS
        for r in full
    )
    return bool(full) and fits >= 0.8 * len(full)  # a few bad rows become rejects, not a failure


USER_BEHAVIOR = FormatSpec(
    name="taobao",
    title="Taobao UserBehavior log",
    description="Headerless user_id,item_id,category_id,behavior(pv|cart|fav|buy),unix_ts (Alibaba Tianchi).",
    columns={
        "customer": ("user_id",),
        "item": ("item_id",),
        "category": ("category_id",),
        "type": ("behavior_type", "behavior"),
        "time": ("timestamp",),
    },
    required=("customer", "item", "type", "time"),
    signature=("behavior_type", "category_id"),
    headerless=("customer", "item", "", "type", "time"),
    headerless_check=_looks_like_taobao,
    delimiters=(",", "\t"),
    file_names=("userbehavior.csv",),
    type_values=BEHAVIOURS,
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [USER_BEHAVIOR]
