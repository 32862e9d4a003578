"""The "frequently bought together" table: item-to-item association rules over orders."""

from __future__ import annotations

from pathlib import Path

from shoprec.core import hookimpl
from shoprec.core.contracts.exporters import ExportData, ExporterSpec

from ._common import write_csv

COLUMNS = ("item_id", "sku", "title", "together_item_id", "together_sku", "together_title",
           "orders_together", "support", "confidence", "lift")
PER_ITEM = 10


def write_bought_together(data: ExportData, path: Path) -> int:
    def rows():
        per_source: dict[int, int] = {}
        for link in data.together_rules():
            n = per_source.get(link.source.key, 0)
            if n >= PER_ITEM:
                continue
            per_source[link.source.key] = n + 1
            s, t = link.source, link.target
            yield (s.item_id, s.sku, s.title, t.item_id, t.sku, t.title, link.orders,
                   f"{link.support:.6f}", f"{link.confidence:.4f}", f"{link.lift:.3f}")

    return write_csv(path, COLUMNS, rows(), bom=True)


@hookimpl
def shoprec_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec(
            name="bought-together", title="Frequently bought together", extension="csv",
            write=write_bought_together, needs_run=False, platform="Excel, shop apps",
            description="For each item, the items most often in the same order: orders together, "
            "support, confidence (P(B | A)) and lift (how much more often than by chance).",
        )
    ]
