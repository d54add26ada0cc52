"""Parser registry: parsers register by decorator, are found by walking the
``parsers`` folder and through the ``scrutiny.parsers`` entry-point group.

Generic parsers (an empty ``AppliesTo``) run on every document; a specific parser
(authorities, document types or title patterns) runs where ``handles`` says so. How a
specific parser's figures supersede the generic ones is the normalise stage's first
rule (``scrutiny.normalise.observations``).
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import pkgutil
import re
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable, ClassVar, Iterable, TypeVar

from .model import Document
from .observation import Context, Observation

ENTRY_POINT_GROUP = "scrutiny.parsers"


@dataclass(frozen=True)
class AppliesTo:
    """Which documents a specific parser is for; empty means every document (generic)."""
    authorities: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    title_patterns: tuple[str, ...] = ()

    @property
    def generic(self) -> bool:
        return not (self.authorities or self.doc_types or self.title_patterns)

    def describe(self) -> str:
        parts = [*(f"authority {a}" for a in self.authorities),
                 *(f"type {t}" for t in self.doc_types),
                 *(f"title /{p}/" for p in self.title_patterns)]
        return ", ".join(parts) or "every document"

    def matches(self, ctx: Context) -> bool:
        if self.generic:
            return True
        title = ctx.title or ""
        return (ctx.authority_code in self.authorities
                or ctx.doc_type in self.doc_types
                or any(re.search(p, title, re.I) for p in self.title_patterns))


class Parser:
    """The parser contract. Subclasses set no metadata by hand (``@register`` fills
    ``name``, ``version``, ``applies_to`` and ``source``) and implement ``parse``:

    - ``handles(document, ctx)``: whether to run on this document; by default what
      ``applies_to`` says of the classified context (authority, document type, title).
    - ``parse(document, ctx)``: the document's figures as Observations, each with its
      page and evidence; ``area_code`` None means the reporting authority.
    - ``authority(document)``: the authority the document itself names, when a parser can
      read it more surely than the register's search of the text (default: None).
    """
    name: ClassVar[str] = ""
    version: ClassVar[str] = ""
    applies_to: ClassVar[AppliesTo] = AppliesTo()
    source: ClassVar[str] = "scrutiny"

    def handles(self, document: Document, ctx: Context) -> bool:
        return self.applies_to.matches(ctx)

    def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
        raise NotImplementedError(f"parser {self.name!r} does not implement parse()")

    def authority(self, document: Document) -> str | None:
        return None


class UnknownParser(KeyError):
    def __str__(self) -> str:
        name, known = self.args
        return f"no parser named {name!r}; available: {', '.join(sorted(known)) or 'none'}"


P = TypeVar("P", bound=type[Parser])
_registry: dict[str, type[Parser]] = {}
_loaded = False


def register(name: str, version: str, applies_to: AppliesTo | None = None) -> Callable[[P], P]:
    """Class decorator: ``@register("ofsted", "1.0", AppliesTo(doc_types=("ofsted",)))``."""
    def decorate(cls: P) -> P:
        cls.name, cls.version = name, version
        cls.applies_to = applies_to or AppliesTo()
        cls.source = cls.__module__.split(".")[0]
        _registry[name] = cls
        return cls
    return decorate


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from . import parsers
    for info in pkgutil.iter_modules(parsers.__path__):
        importlib.import_module(f"{parsers.__name__}.{info.name}")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()
    _loaded = True


def available() -> dict[str, type[Parser]]:
    _load()
    return dict(_registry)


def versions() -> dict[str, str]:
    """Every parser's name and version, without importing the parsers when their module files
    are the ones a cache last saw: checking a batch for unchanged documents then compiles none
    of their patterns. The cache (``$XDG_CACHE_HOME/scrutiny/parsers.json``) is keyed by each
    module's path, size and modification time; any change imports them all again."""
    key = _module_files()
    cache = _cache_file()
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached["key"] == key:
            return cached["versions"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    found = {name: cls.version for name, cls in available().items()}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "versions": found}), encoding="utf-8")
    except OSError:
        pass  # an unwritable cache only costs the imports
    return found


def _module_files() -> list[list]:
    """Path, size and modification time of every parser module, built in and plugged in."""
    from . import parsers
    paths = [Path(parsers.__path__[0]) / f"{info.name}.py" for info in pkgutil.iter_modules(parsers.__path__)]
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            spec = importlib.util.find_spec(ep.module)
        except (ImportError, ValueError):
            spec = None
        paths.append(Path(spec.origin) if spec and spec.origin else Path(ep.value))
    return [[str(path), *_signature(path)] for path in sorted(paths)]


def _signature(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
    except OSError:
        return 0, 0
    return found.st_size, found.st_mtime_ns


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "scrutiny" / "parsers.json"


def generic_names() -> set[str]:
    """The names of the parsers that run on every document."""
    return {name for name, cls in available().items() if cls.applies_to.generic}


def get(name: str) -> type[Parser]:
    parsers = available()
    if name not in parsers:
        raise UnknownParser(name, list(parsers))
    return parsers[name]


def applicable(document: Document, ctx: Context) -> list[Parser]:
    """Instances of every parser that handles this document, generic ones first."""
    chosen = [cls() for cls in available().values()]
    chosen = [p for p in chosen if p.handles(document, ctx)]
    return sorted(chosen, key=lambda p: (not p.applies_to.generic, p.name))
