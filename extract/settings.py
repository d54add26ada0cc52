"""How files are read: engine choice and the layout tolerances of the PDF reader."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

ENGINES = ("fast", "pdfplumber")


@dataclass(frozen=True)
class ReadSettings:
    """Validated reading options.

    ``margin``: fraction of the page height at top and bottom where running headers
    and footers live. ``line_tolerance``: points two characters' tops may differ and
    still share a line. ``paragraph_gap``: a blank gap between lines wider than this
    many font sizes starts a new paragraph. ``column_gap``: a horizontal gap between
    characters wider than this many font sizes splits a line into cells.
    ``heading_ratio``: text this many times the body size (or bold) can be a heading;
    ``heading_max_chars``: longer lines never are.
    """
    engine: str = "fast"
    margin: float = 0.08
    line_tolerance: float = 3.0
    paragraph_gap: float = 0.55
    column_gap: float = 2.5
    heading_ratio: float = 1.15
    heading_max_chars: int = 150

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if not 0 <= self.margin < 0.5:
            raise ValueError(f"margin is a fraction of the page height in [0, 0.5), not {self.margin}")
        for name in ("line_tolerance", "paragraph_gap", "column_gap"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        if self.heading_ratio < 1:
            raise ValueError(f"heading_ratio must be at least 1, not {self.heading_ratio}")
        if self.heading_max_chars < 1:
            raise ValueError(f"heading_max_chars must be positive, not {self.heading_max_chars}")

    @classmethod
    def resolve(cls, options: dict[str, Any] | None = None) -> "ReadSettings":
        """Settings from a dict of overrides; an unknown key is an error naming the valid ones."""
        options = dict(options or {})
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(options) - set(valid))
        if unknown:
            raise ValueError(f"unknown read setting(s) {', '.join(unknown)}; valid: {', '.join(valid)}")
        return cls(**options)
