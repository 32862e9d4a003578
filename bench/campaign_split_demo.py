"""Split the demo shop's exports at a date, for the README's campaign example end to end.

    python bench/campaign_split_demo.py DEMO_FOLDER 2025-10-17 OUT_FOLDER

writes OUT_FOLDER/before/ (products, customers, orders and events before the date) and
OUT_FOLDER/after/ (the orders and events from the date on): import ``before``, train, create a
campaign starting on the date, export it, then import ``after`` as "the next export" and report.

A helper for the README's worked campaign example, not a benchmark. Data: the folder the demo
shop's exports were written to. Runtime: it only copies and splits CSV files (not timed).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
from pathlib import Path

TIME_COLUMNS = {"orders_export_1.csv": "Created at", "events_export.csv": "event_time"}


def moment(text: str) -> dt.datetime:
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"unreadable time {text!r}")


def main(folder: Path, date: str, out: Path) -> None:
    cut = dt.datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    before, after = out / "before", out / "after"
    for d in (before, after):
        d.mkdir(parents=True, exist_ok=True)
    for name in ("products_export.csv", "customers_export.csv"):
        shutil.copy(folder / name, before / name)
    for name, column in TIME_COLUMNS.items():
        with open(folder / name, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        k = header.index(column)
        # an order's extra lines leave "Created at" empty: they follow their first line
        parts: dict[Path, list[list[str]]] = {before: [], after: []}
        side = before
        for row in body:
            if row[k].strip():
                side = before if moment(row[k]) < cut else after
            parts[side].append(row)
        for d, chunk in parts.items():
            with open(d / name, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(chunk)
        print(f"{name}: {len(parts[before])} rows before {date}, {len(parts[after])} from it on")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
