"""Importing shop exports into the workspace.

``import_file(ws, path)`` streams one CSV-like file into the workspace: it sniffs the encoding and
delimiter (:mod:`.sniff`), recognises the layout from the header (:mod:`.detect`, formats from
plugins: :mod:`.formats`), reads records in bounded chunks (:mod:`.reader`), validates and writes
them vectorised (:mod:`.events`, :mod:`.catalog`) inside one transaction, and returns an
:class:`ImportSummary` whose counts always satisfy rows read = imported + anonymous + duplicates +
rejected (anonymous: order lines without a customer, kept as baskets). Text encodings are
detected per file and, where a file changes encoding, per line (:mod:`.decoding`).
"""

from ..contracts.formats import FIELDS, FormatSpec
from .errors import ImportFailed
from .run import ImportSummary, import_file, known_formats

__all__ = ["FIELDS", "FormatSpec", "ImportFailed", "ImportSummary", "import_file", "known_formats"]
