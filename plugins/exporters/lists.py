"""Per-customer recommendation lists as CSV, XLSX and JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import (
    ExportData,
    ExportError,
    ExporterSpec,
    format_score,
    is_formula_like,
)

from ._common import write_csv

COLUMNS = ("customer_id", "email", "rank", "item_id", "sku", "title", "score", "reason")


def _rows(data: ExportData):
    for cl, rec in data.rows():
        yield (cl.customer_id, cl.email, rec.rank, rec.item.item_id, rec.item.sku, rec.item.title,
               format_score(rec.score), rec.reason)


def write_lists_csv(data: ExportData, path: Path) -> int:
    return write_csv(path, COLUMNS, _rows(data), bom=True)


#: Excel's sheet limit is 1,048,576 rows, the header included.
XLSX_MAX_ROWS = 1_048_575


def write_lists_xlsx(data: ExportData, path: Path) -> int:
    """The lists as a workbook, streamed (openpyxl's write-only mode: memory and time grow
    linearly with the rows; the normal mode looked up the sheet's last row for every row written,
    which made 14,000 rows take three minutes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    rows = sum(len(cl.items) for cl in data.lists)
    if rows > XLSX_MAX_ROWS:
        raise ExportError(
            f"{rows:,} rows do not fit in one Excel sheet (at most {XLSX_MAX_ROWS:,}): "
            "export as csv, or fewer items per customer with --top"
        )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Recommendations")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"
    for col, width in zip("ABCDEFGH", (22, 30, 6, 18, 18, 40, 8, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.append(list(COLUMNS))

    def cell(value):
        # Text that looks like a formula is stored as text with Excel's quote prefix (what a
        # typed apostrophe does): shown as written, never evaluated.
        if isinstance(value, str) and is_formula_like(value):
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"
            c.quotePrefix = True
            return c
        return value

    count = 0
    for cl, rec in data.rows():
        ws.append([cell(v) for v in (cl.customer_id, cl.email, rec.rank, rec.item.item_id,
                                     rec.item.sku, rec.item.title, round(rec.score, 6), rec.reason)])
        count += 1
    info = wb.create_sheet("Run")
    run = data.run
    info.append(["strategy", run.strategy if run else ""])
    info.append(["run", run.id if run else ""])
    info.append(["created", time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created_at)) if run else ""])
    info.append(["customers", len(data.lists)])
    score_meaning = (run.calibration.get("event") or run.calibration.get("meaning") or "") if run else ""
    info.append(["score", str(score_meaning) or "calibrated probability"])
    info.append(["only items at least this likely (θ; 0 = off)", data.threshold])
    wb.save(path)
    return count


def write_lists_json(data: ExportData, path: Path) -> int:
    run = data.run
    doc = {
        "run": None if run is None else {
            "id": run.id, "strategy": run.strategy, "created_at": run.created_at,
            "params": run.params, "calibration": run.calibration,
            "threshold": data.threshold,  # θ the lists were cut with; 0: off (full top-N)
        },
        "customers": [
            {
                "customer_id": cl.customer_id,
                "email": cl.email or None,
                "name": cl.name or None,
                "items": [
                    {"rank": r.rank, "item_id": r.item.item_id, "sku": r.item.sku,
                     "title": r.item.title, "score": round(r.score, 6), "reason": r.reason}
                    for r in cl.items
                ],
            }
            for cl in data.lists
        ],
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return sum(len(cl.items) for cl in data.lists)


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="csv", title="Lists (CSV)", extension="csv", write=write_lists_csv,
            platform="Excel, Google Sheets",
            description="One row per recommended item: customer id, e-mail, rank, item id, SKU, "
            "title, score and reason. UTF-8 with BOM so Excel opens it correctly.",
        ),
        ExporterSpec(
            name="xlsx", title="Lists (Excel)", extension="xlsx", write=write_lists_xlsx,
            platform="Excel",
            description="The per-customer lists as an Excel workbook, with a sheet describing the run.",
        ),
        ExporterSpec(
            name="json", title="Lists (JSON)", extension="json", write=write_lists_json,
            platform="scripts, APIs",
            description="The run and every customer's list as one JSON document.",
        ),
    ]
