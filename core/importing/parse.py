"""Vectorised parsing of text columns: ids, numbers, money, dates, event types, flags.

Each function takes a numpy object array of strings ("" for empty) and returns parsed values with
NaN / None where the text could not be read, so the caller can reject exactly those rows with a
reason. Columns with few distinct values (quantities, event types) are parsed once per distinct
value; that is what keeps a million-row import in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from ..contracts.formats import TYPE_SYNONYMS

Strings = np.ndarray  # 1-d object array of str


def texts(values: Strings | Iterable[str], strip: bool = True) -> Strings:
    """An object array of the values, stripped of surrounding blanks (``strip=False``: the
    caller knows there are none)."""
    items = values.tolist() if isinstance(values, np.ndarray) else values
    stripped = [v.strip() for v in items] if strip else list(items)
    out = np.empty(len(stripped), dtype=object)  # (np.array could make a 2-d array of chars)
    out[:] = stripped
    return out


def _by_distinct(a: Strings, fn: Callable[[Strings], np.ndarray]) -> np.ndarray:
    """``fn`` applied once per distinct value when values repeat a lot."""
    if len(a) < 64:
        return fn(a)
    codes, uniq = pd.factorize(a)
    if len(uniq) * 4 > len(a):
        return fn(a)
    return fn(np.asarray(uniq, dtype=object))[codes]


def clean_ids(a: Strings) -> Strings:
    """Ids as written (already stripped, see :func:`texts`) minus a spreadsheet's guard apostrophe."""
    if not len(a) or "'" not in "".join(a.tolist()):
        return a
    return np.array(
        [v[1:] if v[:1] == "'" and len(v) > 1 and v[1] in "=+-@0123456789" else v for v in a.tolist()],
        dtype=object,
    )


_MONEY_JUNK = re.compile(r"[\s\u00a0\u202f$€£¥₹₩₽¤']|[A-Z]{3}$|^[A-Z]{3}|元|円|kr")


def _number(text: str, decimal_comma: bool) -> float:
    t = _MONEY_JUNK.sub("", text)
    neg = t.startswith("(") and t.endswith(")")  # accounting style (8.00) is negative
    t = t.strip("()")
    if decimal_comma:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d+,\d{1,2}", t):  # a lone "12,50" in a dot file
        t = t.replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        v = float(t)
    except ValueError:
        return np.nan
    return -v if neg else v


def _numbers(a: Strings, decimal_comma: bool) -> np.ndarray:
    if decimal_comma:
        out = np.full(len(a), np.nan)
        todo = np.ones(len(a), dtype=bool)
    else:
        out = pd.to_numeric(a, errors="coerce").astype(float)
        todo = np.isnan(out)
    todo &= a != ""
    for i in np.flatnonzero(todo).tolist():
        out[i] = _number(str(a[i]), decimal_comma)
    return out


def numbers(a: Strings, decimal_comma: bool = False) -> np.ndarray:
    """Floats from ``3``, ``1.0``, ``"$8.00"``, ``1.234,56`` (decimal comma), ``-2``; NaN if unreadable."""
    return _by_distinct(a, lambda u: _numbers(u, decimal_comma)).astype(float)


# Layouts tried (in this order) when a file's dates are not ISO 8601 or unix seconds.
_US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p",
               "%m/%d/%Y", "%m/%d/%y %H:%M", "%m/%d/%y")
_EU_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
               "%d.%m.%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")
_OTHER_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d%H%M%S", "%Y%m%d",
                  "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日", "%Y.%m.%d %H:%M:%S",
                  "%Y.%m.%d", "%d %b %Y %H:%M", "%d %b %Y", "%b %d, %Y %I:%M %p", "%b %d, %Y",
                  "%B %d, %Y", "%d %B %Y", "%a, %d %b %Y %H:%M:%S %z")
_MIN_TS, _MAX_TS = 0, 4102444800  # 1970 .. 2100: anything else is a misread number or a typo


def _parse_with(a: Strings, fmt: str) -> np.ndarray:
    """Unix seconds (float, NaN when unreadable) of ``a`` read with one layout."""
    try:
        parsed = pd.to_datetime(a, format=fmt, errors="coerce", utc=True)
    except (ValueError, TypeError, OverflowError):
        return np.full(len(a), np.nan)
    ns = parsed.as_unit("s").asi8.astype(float)
    ns[np.asarray(parsed.isna())] = np.nan
    return ns


def timestamps(a: Strings, formats: Iterable[str] = (), day_first: bool = False,
               memo: dict | None = None) -> np.ndarray:
    """Unix seconds (UTC; float with NaN where unreadable) from dates as shops write them.

    Unix seconds or milliseconds, ISO 8601 with or without offset (naive times are taken as UTC),
    day-first / month-first / Chinese layouts. The layout that read a chunk is remembered in
    ``memo`` and tried first on the next chunk of the same file.
    """
    out = np.full(len(a), np.nan)
    todo = a != ""
    if not todo.any():
        return out
    memo = memo if memo is not None else {}
    sample = a[todo][:50]
    if memo.get("unix") or any(v.replace(".", "", 1).isdigit() for v in sample):
        # Unix seconds or milliseconds (8 digits would be 20260131, a date, not 1970).
        num = pd.to_numeric(a, errors="coerce").astype(float)
        secs = (num >= 1e8) & (num <= _MAX_TS)
        millis = (num >= 1e11) & (num <= _MAX_TS * 1000.0)
        unix = todo & (secs | millis)
        if unix.any():
            memo["unix"] = True
            out[unix] = np.floor(np.where(millis[unix], num[unix] / 1000, num[unix]))
            todo &= ~unix
    eu, us = (_EU_FORMATS, _US_FORMATS) if day_first else (_US_FORMATS, _EU_FORMATS)
    tried: set[str] = set()
    for fmt in [*memo.get("formats", []), *formats, "ISO8601", *eu, *us, *_OTHER_FORMATS]:
        if not todo.any():
            break
        if fmt in tried:
            continue
        tried.add(fmt)
        idx = np.flatnonzero(todo)
        if fmt not in memo.get("formats", []) and np.isnan(_parse_with(a[idx[:20]], fmt)).all():
            continue  # cheap probe before parsing the whole rest
        got = _parse_with(a[idx], fmt)
        ok = ~np.isnan(got)
        if ok.any():
            out[idx[ok]] = got[ok]
            todo[idx[ok]] = False
            if fmt not in memo.setdefault("formats", []):
                memo["formats"].insert(0, fmt)
    out[(out < _MIN_TS) | (out > _MAX_TS)] = np.nan
    return out


_SEPARATORS = re.compile(r"[\s_\-]+")


def event_types(a: Strings, extra: Mapping[str, str] = {}) -> np.ndarray:  # noqa: B006
    """Canonical event types (object array), None where the text names no known type."""
    table = {**TYPE_SYNONYMS, **{k.casefold(): v for k, v in extra.items()}}
    squashed = {_SEPARATORS.sub("", k): v for k, v in table.items()}

    def one(v: str) -> str | None:
        key = v.strip().casefold()
        return table.get(key) or squashed.get(_SEPARATORS.sub("", key))

    def many(u: Strings) -> np.ndarray:
        return np.array([one(v) for v in u], dtype=object)

    return _by_distinct(a, many)


_TRUE = {"1", "true", "yes", "y", "published", "active", "visible", "publish", "on", "oui", "ja",
         "是", "上架", "instock", "in stock"}
_FALSE = {"0", "-1", "false", "no", "n", "draft", "archived", "hidden", "private", "off", "non",
          "nein", "否", "下架", "2", "outofstock", "out of stock"}


def flags(a: Strings) -> np.ndarray:
    """1 / 0 / None (unknown) from published-like text."""
    def one(v: str) -> int | None:
        key = v.strip().casefold()
        return 1 if key in _TRUE else 0 if key in _FALSE else None

    return np.array([one(v) for v in a], dtype=object)
