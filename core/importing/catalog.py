"""Catalog rows to ``items`` and customer rows to ``customers``, upserted by the shop's own id.

A row that changes nothing (re-importing the same export, or a Shopify image row repeating its
product) counts as a duplicate; a row that creates or changes a record counts as imported.
Catalog files are small next to event logs, so rows are compared one by one here.
"""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd

from . import parse
from .events import Columns, _col, _first_nonempty

ITEM_COLUMNS = ("sku", "title", "description", "category", "price", "currency", "stock",
                "published", "vendor", "variant_of", "url")
#: Flags of a products export kept in ``items.attrs`` (true/false).
FLAG_ATTRS = ("requires_shipping", "gift_card")
CUSTOMER_COLUMNS = ("email", "name")


class RecordWriter:
    """Upsert rows of a catalog (``items``) or customer list (``customers``)."""

    def __init__(self, conn: sqlite3.Connection, table: str, decimal_comma: bool) -> None:
        self.conn = conn
        self.table = table
        self.columns = ITEM_COLUMNS if table == "items" else CUSTOMER_COLUMNS
        self.decimal_comma = decimal_comma

    def normalize(self, df: Columns) -> pd.DataFrame:
        return self._items(df) if self.table == "items" else self._customers(df)

    def _items(self, df: Columns) -> pd.DataFrame:
        n = len(df["_k"])
        reason = np.full(n, "", dtype=object)
        sku = parse.clean_ids(_col(df, "sku"))
        out: dict[str, object] = {"_k": np.asarray(df["_k"])}
        out["external_id"] = _first_nonempty(sku, parse.clean_ids(_col(df, "item")), _col(df, "title"))
        reason[out["external_id"] == ""] = "missing product id"
        out["sku"] = sku
        for text in ("title", "description", "category", "currency", "vendor", "url"):
            out[text] = _col(df, text)
        out["variant_of"] = np.array([v[3:] if v.startswith("id:") else v
                                      for v in parse.clean_ids(_col(df, "variant_of"))], dtype=object)
        for num in ("price", "stock"):
            raw = _col(df, num)
            val = parse.numbers(raw, self.decimal_comma)
            bad = np.isnan(val) & (raw != "") & (reason == "")
            for i in np.flatnonzero(bad).tolist():
                reason[i] = f"non-numeric {num} '{raw[i][:40]}'"
            out[num] = val
        out["published"] = parse.flags(_col(df, "published")) if "published" in df else np.full(n, None)
        for flag in FLAG_ATTRS:  # kept in attrs: what tells a product from a fee or a voucher
            out[flag] = parse.flags(_col(df, flag)) if flag in df else np.full(n, None)
        out["reason"] = reason
        # Extra images of an item (Shopify's image rows), kept in items.attrs["images"].
        out["_image"] = _col(df, "_image") if "_image" in df else np.full(n, "", dtype=object)
        return pd.DataFrame(out)

    def _customers(self, df: Columns) -> pd.DataFrame:
        email = parse.clean_ids(_col(df, "email"))
        name = _col(df, "customer_name")
        external = _first_nonempty(parse.clean_ids(_col(df, "customer")), email, name)
        joined = parse.texts(f + " " + la for f, la in zip(_col(df, "first_name"), _col(df, "last_name"), strict=True))
        return pd.DataFrame({
            "_k": np.asarray(df["_k"]),
            "external_id": external,
            "name": np.where(name != "", name, joined),
            "email": np.array([e if "@" in e else "" for e in email], dtype=object),
            "reason": np.where(external == "", "missing customer", "").astype(object),
        })

    def write(self, rec: pd.DataFrame) -> tuple[int, int, pd.Series]:
        bad = rec[rec["reason"] != ""]
        bad_records = bad.drop_duplicates("_k").set_index("_k")["reason"]
        ok = rec[rec["reason"] == ""]
        imported = duplicates = 0
        cols = (*self.columns, "attrs")
        existing: dict[str, tuple] = {}
        keys = pd.unique(ok["external_id"].to_numpy(dtype=object)).tolist()
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            sql = (f"SELECT external_id, {', '.join(cols)} FROM {self.table} "
                   f"WHERE external_id IN ({','.join('?' * len(part))})")
            for row in self.conn.execute(sql, part):
                existing[row[0]] = dict(zip(cols, row[1:], strict=True))
        bad_extra: list[tuple[int, str]] = []
        for rec_row in ok.itertuples(index=False):
            r = dict(zip(ok.columns, rec_row, strict=True))
            key = r["external_id"]
            old = existing.get(key)
            if r.get("_image"):
                if old is None:
                    bad_extra.append((r["_k"], f"image row for unknown product '{key[:40]}'"))
                    continue
                attrs = json.loads(old.get("attrs") or "{}")
                images = attrs.setdefault("images", [])
                if r["_image"] == old.get("url") or r["_image"] in images:
                    duplicates += 1
                    continue
                images.append(r["_image"])
                old["attrs"] = json.dumps(attrs, ensure_ascii=False)
                self.conn.execute(f"UPDATE {self.table} SET attrs = ? WHERE external_id = ?", (old["attrs"], key))
                imported += 1
                continue
            new = {c: _clean(r.get(c)) for c in self.columns}
            new = {c: v for c, v in new.items() if v is not None}
            if self.table == "items":
                attrs = _catalog_attrs(old, new, r)
                if attrs is not None:
                    new["attrs"] = attrs
            if old is None:
                names = ", ".join(["external_id", *new])
                self.conn.execute(
                    f"INSERT INTO {self.table} ({names}) VALUES ({', '.join('?' * (1 + len(new)))})",
                    (key, *new.values()),
                )
                existing[key] = {c: new.get(c) for c in cols}
                imported += 1
                continue
            changed = {c: v for c, v in new.items() if old.get(c) != v}
            if not changed:
                duplicates += 1
                continue
            sets = ", ".join(f"{c} = ?" for c in changed)
            self.conn.execute(f"UPDATE {self.table} SET {sets} WHERE external_id = ?", (*changed.values(), key))
            old.update(changed)
            imported += 1
        if bad_extra:
            extra = pd.Series([r for _, r in bad_extra], index=[k for k, _ in bad_extra])
            bad_records = pd.concat([bad_records, extra]) if len(bad_records) else extra
        return imported, duplicates, bad_records


def _clean(v: object) -> object:
    """Empty text and NaN are 'not given' (they never overwrite known values)."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v != v:
        return None
    return v


def _catalog_attrs(old: dict | None, new: dict, row: dict) -> str | None:
    """The item's attrs with this catalog row's flags, and without the marks of fields that
    came from order lines (``<field>_from_orders_at``) which the catalog now gives: it wins.
    None when nothing changes."""
    before = json.loads((old or {}).get("attrs") or "{}")
    attrs = dict(before)
    given = set(new)
    for flag in FLAG_ATTRS:
        v = row.get(flag)
        if v is not None and v == v:  # (not None, not NaN)
            attrs[flag] = bool(v)
            given.add(flag)
    for f in given:  # the catalog's value replaces one taken from order lines
        attrs.pop(f"{f}_from_orders_at", None)
    if attrs == before:
        return None
    return json.dumps(attrs, ensure_ascii=False)
