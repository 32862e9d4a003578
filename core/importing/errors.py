"""The one exception importing raises for files it cannot read."""

from __future__ import annotations

import os


class ImportFailed(Exception):
    """A file could not be imported; ``str()`` is one line naming the file and the problem.

    Nothing was written to the workspace when this is raised (imports are atomic).
    """

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = os.fspath(path)
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(f"{self.path}: {self.problem}")
