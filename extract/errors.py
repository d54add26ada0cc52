"""Why a file could not be read, as one line naming the file and the reason."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot become a Document. ``reason`` is short and fixed-vocabulary:
    'empty file', 'not a PDF', 'encrypted', 'corrupt PDF', 'no text layer',
    'not a Word document', 'corrupt Word document',
    'unreadable encoding', 'file not found', 'unsupported file type'."""

    def __init__(self, path: str, reason: str, detail: str = ""):
        super().__init__(path, reason, detail)
        self.path, self.reason, self.detail = path, reason, detail

    def __str__(self) -> str:
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.path}: {self.reason}{tail}"
