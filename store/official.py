"""Official DfE statistics as observations beside the reported ones, and statistical neighbours.

How each published CSV maps onto indicator ids is data: ``schemas/official.toml``. Each
source file is stored as a Document of kind ``csv`` keyed by its SHA-256: importing an
unchanged file adds nothing; a changed file, or a later vintage of the same table, replaces
the earlier import. Values DfE does not give (``c``, ``x``, ``z`` ...) are stored with a
null value and the reason, never as zero.
"""
from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, ForeignKey, Integer, String, delete, insert, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from ..schemas.authorities import load_register
from ..schemas.vocabulary import load_vocabulary
from . import models as m

PARSER = "dfe-official"
KIND = "csv"  # Document.kind of an imported official file


class StatisticalNeighbour(m.Base):
    """One of an authority's DfE statistical neighbours, by rank (1 = closest)."""
    __tablename__ = "statistical_neighbours"

    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    neighbour_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    closeness: Mapped[str] = mapped_column(String(32), default="")
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)


@dataclass(frozen=True)
class Column:
    """A DfE column stored as one indicator."""
    column: str
    indicator: str
    unit: str
    period: str
    definition: str


@dataclass(frozen=True)
class Series:
    """The rows of a table to take (every ``where`` column has its value) and the columns to store."""
    columns: tuple[Column, ...]
    where: tuple[tuple[str, str], ...] = ()
    breakdown: str = ""


@dataclass(frozen=True)
class Dataset:
    """A DfE table: the file names it is published under and its series."""
    files: str
    title: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class NeighbourFile:
    """The statistical-neighbour groupings: DfE code column and the prefix of the rank columns."""
    files: str
    title: str
    code: str
    rank_prefix: str


@dataclass(frozen=True)
class PeriodRule:
    """A reference date (month-day in year ``time_period``) and the months ending on it (0: a point)."""
    end: str
    months: int

    def span(self, year: int) -> tuple[date, date]:
        """(period_start, period_end) for ``time_period`` ``year``; both the reference date for a point."""
        month, day = map(int, self.end.split("-"))
        end = date(year, month, day)
        if not self.months:
            return end, end
        first = month - self.months  # the start month counted from 0 = January of ``year``
        return date(year + first // 12, first % 12 + 1, 1), end


@dataclass(frozen=True)
class Level:
    """The columns naming the area of a row at one geographic_level."""
    code: str
    name: str
    kind: str
    dfe: str = ""


@dataclass(frozen=True)
class Mapping:
    """Everything in ``schemas/official.toml``."""
    periods: dict[str, PeriodRule]
    levels: dict[str, Level]
    missing: dict[str, str]
    neighbours: NeighbourFile
    datasets: tuple[Dataset, ...]

    def spec(self, name: str) -> Dataset | NeighbourFile:
        """The dataset (or the neighbour groupings) a file name belongs to; ValueError if none."""
        for spec in (*self.datasets, self.neighbours):
            if fnmatch(name, spec.files):
                return spec
        known = ", ".join(spec.files for spec in (*self.datasets, self.neighbours))
        raise ValueError(f"{name}: not an official table scrutiny knows (expected one of {known})")


@cache
def load_mapping() -> Mapping:
    """The shipped mapping, checked against the vocabulary; ValueError naming the bad entry."""
    with resources.files("scrutiny.schemas").joinpath("official.toml").open("rb") as fh:
        data = tomllib.load(fh)
    periods = {key: PeriodRule(**rule) for key, rule in data["periods"].items()}
    datasets = tuple(
        Dataset(files=d["files"], title=d["title"], series=tuple(
            Series(columns=tuple(Column(**c) for c in s["columns"]),
                   where=tuple(s.get("where", {}).items()), breakdown=s.get("breakdown", ""))
            for s in d["series"]))
        for d in data["dataset"])
    vocabulary = load_vocabulary()
    for dataset in datasets:
        for column in (c for s in dataset.series for c in s.columns):
            where = f"official.toml {dataset.files} {column.column}"
            if column.indicator not in vocabulary:
                raise ValueError(f"{where}: unknown indicator {column.indicator!r}")
            if column.unit != vocabulary[column.indicator].unit:
                raise ValueError(f"{where}: unit {column.unit!r}, the vocabulary says "
                                 f"{vocabulary[column.indicator].unit!r}")
            if column.period not in periods:
                raise ValueError(f"{where}: unknown period rule {column.period!r}")
    return Mapping(periods=periods, levels={k: Level(**v) for k, v in data["levels"].items()},
                   missing=data["missing"], neighbours=NeighbourFile(**data["neighbours"]),
                   datasets=datasets)


def parse_value(raw: str, missing: dict[str, str]) -> tuple[float | None, str | None]:
    """A published cell as (value, None), or (None, reason) for a DfE symbol or blank."""
    text = raw.strip()
    if text.lower() in missing:
        return None, f"{text or 'blank'}: {missing[text.lower()]}"
    try:
        return float(text.replace(",", "")), None
    except ValueError:
        return None, f"{text}: unrecognised symbol"


def import_official(engine: Engine, paths: Iterable[str | Path]) -> dict[str, int]:
    """Import DfE tables; returns the rows stored per file name (0 for a file imported before).

    Every file must be one ``official.toml`` knows (ValueError before anything is written);
    each file is stored in one transaction.
    """
    mapping = load_mapping()
    files = [(path, mapping.spec(path.name)) for path in dict.fromkeys(map(Path, paths))]
    m.Base.metadata.create_all(engine, tables=[StatisticalNeighbour.__table__])
    return {path.name: _import_file(engine, path, spec, mapping) for path, spec in files}


def _import_file(engine: Engine, path: Path, spec: Dataset | NeighbourFile, mapping: Mapping) -> int:
    """Store one file, replacing an earlier import of the same table; 0 if this content is stored."""
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    with engine.begin() as conn:
        if conn.scalar(select(m.Document.id).where(m.Document.sha256 == sha)) is not None:
            return 0
        earlier = [doc_id for doc_id, name in conn.execute(
            select(m.Document.id, m.Document.name).where(m.Document.kind == KIND)) if fnmatch(name, spec.files)]
        for table in (m.Observation, StatisticalNeighbour, m.Document):
            column = table.id if table is m.Document else table.document_id
            conn.execute(delete(table).where(column.in_(earlier)))
        doc_id = conn.execute(insert(m.Document).values(
            sha256=sha, path=str(path), name=path.name, title=spec.title, kind=KIND, status="ok")
        ).inserted_primary_key[0]
        text = content.decode("utf-8-sig")
        if isinstance(spec, NeighbourFile):
            rows = _neighbour_rows(list(csv.reader(io.StringIO(text))), spec, doc_id)
            table = StatisticalNeighbour
        else:
            rows = _observation_rows(conn, list(csv.DictReader(io.StringIO(text))), spec, mapping,
                                     doc_id, path.name)
            table = m.Observation
        if rows:
            conn.execute(insert(table), rows)
        return len(rows)


class _Areas:
    """Area codes for table rows: the register's where the GSS or DfE code is known, else new areas."""

    def __init__(self, conn: Connection):
        known = conn.execute(select(m.Authority.code, m.Authority.dfe_code, m.Authority.kind)).all()
        self.codes = {code for code, _, _ in known}
        self.by_dfe = {dfe: code for code, dfe, kind in known if dfe and kind == "authority"}
        self.new: list[dict[str, Any]] = []

    def code(self, row: dict[str, str], level: Level) -> str:
        """The stored area code for a row, recording an area to add when there is none."""
        code = row[level.code].strip()
        dfe = row[level.dfe].strip() if level.dfe else ""
        if code in self.codes:
            return code
        if dfe in self.by_dfe:
            return self.by_dfe[dfe]
        if not code:
            raise ValueError(f"a {row['geographic_level']} row has no area code in {level.code}")
        region = row.get("region_code", "").strip()
        self.codes.add(code)
        self.new.append({"code": code, "name": row[level.name].strip(), "kind": level.kind, "dfe_code": dfe or None,
                         "region_code": region if region and region != code else None})
        return code


def _observation_rows(conn: Connection, rows: list[dict[str, str]], dataset: Dataset, mapping: Mapping,
                      doc_id: int, name: str) -> list[dict[str, Any]]:
    """Observation rows for every series of a table; areas not yet stored are added first."""
    areas = _Areas(conn)
    vintage = max((row["time_period"] for row in rows), default="")
    out = []
    for series in dataset.series:
        for row in rows:
            if any(row[column] != value for column, value in series.where):
                continue
            level = mapping.levels[row["geographic_level"]]
            area = areas.code(row, level)
            key = " ".join([row["time_period"], row["geographic_level"], row[level.code].strip(),
                            row[level.name].strip(), *(value for _, value in series.where)])
            for column in series.columns:
                start, end = mapping.periods[column.period].span(int(row["time_period"]))
                value, reason = parse_value(row[column.column], mapping.missing)
                out.append({
                    "document_id": doc_id, "area_code": area, "indicator_id": column.indicator,
                    "period_start": start, "period_end": end, "value": value, "missing_reason": reason,
                    "unit": column.unit, "breakdown": series.breakdown, "qualifier": "actual", "status": "ok",
                    "page": None, "evidence": f"{name} [{key}] {column.column}: {column.definition}",
                    "parser": PARSER, "parser_version": vintage, "confidence": 1.0, "source": "official",
                    "key": f"{area}|{column.indicator}|{end.isoformat()}|{series.breakdown}"})
    if areas.new:
        conn.execute(insert(m.Authority), areas.new)
    return out


def _neighbour_rows(rows: list[list[str]], spec: NeighbourFile, doc_id: int) -> list[dict[str, Any]]:
    """Neighbour links between authorities in the register; former authorities are left out."""
    by_dfe = {a.dfe_code: a.code for a in load_register().authorities() if a.dfe_code}
    header = [cell.strip() for cell in rows[0]]
    code_at = header.index(spec.code)
    ranks = [(int(cell.removeprefix(spec.rank_prefix)), i) for i, cell in enumerate(header)
             if cell.startswith(spec.rank_prefix) and cell.removeprefix(spec.rank_prefix).isdigit()]
    out = []
    for row in rows[1:]:
        area = by_dfe.get(row[code_at].strip()) if len(row) > code_at else None
        for rank, at in ranks if area else ():
            neighbour = by_dfe.get(row[at].strip())
            if neighbour:
                out.append({"authority_code": area, "rank": rank, "neighbour_code": neighbour,
                            "closeness": row[at + 1].strip(), "document_id": doc_id})
    return out


def neighbours_of(engine: Engine, code: str) -> list[str]:
    """An authority's statistical neighbours (codes, closest first): DfE groupings, else the register's.

    ``code`` may be a GSS or DfE code or a name; LookupError if it names no area.
    """
    register = load_register()
    area = register.lookup(code)
    if inspect(engine).has_table(StatisticalNeighbour.__tablename__):
        with engine.connect() as conn:
            found = list(conn.scalars(select(StatisticalNeighbour.neighbour_code)
                                      .where(StatisticalNeighbour.authority_code == area.code)
                                      .order_by(StatisticalNeighbour.rank)))
        if found:
            return found
    return [a.code for a in register.neighbours(area.code)]
