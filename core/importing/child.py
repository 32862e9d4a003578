"""The parser process's program (see :mod:`.parser_process`): read the job from stdin, say ready, wait
for the handover, then parse the rest of the file and send each chunk back on stdout.

Its own module because it runs the importer's parsing steps (:mod:`.run`), which start the
parser through :mod:`.parser_process`: kept apart, neither imports the other.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .detect import Layout
from .errors import ImportFailed
from .parser_process import IdCodes, read_message, write_message
from .sniff import Sniffed


def main() -> None:
    """The parser process: read the job, say ready, wait for the handover, then parse and send
    the rest of the file. stdout carries only messages."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the message stream
    try:
        job, _ = read_message(stdin)
        from .events import EventWriter
        from .reader import RecordReader
        from .run import known_formats, parse_events

        spec = next((f for f in known_formats() if f.name == job["format"]), None)
        if spec is None:
            write_message(stdout, {"kind": "failed", "problem": f"unknown format {job['format']}"})
            return
        layout = Layout(spec, job["has_header"], job["header"], {int(i): f for i, f in job["columns"].items()})
        sniffed = Sniffed(**job["sniffed"])
        write_message(stdout, {"kind": "ready"})
        handover, _ = read_message(stdin)
        start, state = handover["start"], handover["state"]
        normalizer = EventWriter(None, 0, spec, sniffed.decimal_comma)  # type: ignore[arg-type]
        normalizer.carry_on(handover["carried"])
        reader = RecordReader(Path(job["path"]), sniffed, chunk_rows=job["chunk_rows"])
        width = len(layout.header)
        coders = {"customer": IdCodes(), "item": IdCodes()}
        busy = 0.0  # seconds spent reading and parsing, not waiting for the writer
        t = time.perf_counter()
        for i, chunk in enumerate(reader.chunks(skip_header=layout.has_header)):
            if i < start:
                continue  # the writer did this one itself
            head, arrays = parse_events(chunk, layout, width, state, normalizer).to_wire(coders)
            head.update(kind="chunk", bytes_read=reader.bytes_read)
            busy += time.perf_counter() - t
            write_message(stdout, head, arrays)
            t = time.perf_counter()
        write_message(stdout, {"kind": "done", "sha256": reader.sha256, "busy": busy + time.perf_counter() - t,
                               "encoding_note": reader.encoding_note})
    except (BrokenPipeError, EOFError):  # the writer stopped us (cancel, error, small file)
        return
    except ImportFailed as exc:
        write_message(stdout, {"kind": "failed", "problem": exc.problem})
    except MemoryError:
        write_message(stdout, {"kind": "failed", "problem": "out of memory while importing"})
    except BaseException as exc:  # noqa: BLE001 - reported to the writer, which raises one line
        write_message(stdout, {"kind": "error", "problem": f"{type(exc).__name__}: {exc}"})
