"""The database schema: areas, indicators, documents, observations, ingest runs and review decisions."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import exists
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship


def utcnow() -> datetime:
    """The current time in UTC, for timestamps."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Authority(Base):
    """An area figures belong to: a local authority, a region, England, or a comparator group."""
    __tablename__ = "authorities"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    dfe_code: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # authority / region / country / group
    region_code: Mapped[str | None] = mapped_column(String(16))


class Indicator(Base):
    """One vocabulary entry."""
    __tablename__ = "indicators"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16))
    group: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class Document(Base):
    """One ingested file, identified by its content hash; ``status`` is ok or failed."""
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(255), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(Text)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    pages: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="ok")
    error: Mapped[str | None] = mapped_column(Text)
    authority_code: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"))
    parsers: Mapped[str] = mapped_column(Text, default="")  # "generic@0.1.0 ofsted@1.0.0": what produced its figures
    doc_type: Mapped[str | None] = mapped_column(String(32), index=True)  # extract.doctypes.DOC_TYPES id
    # an inspection's or visit's framework, first and last day, theme, and why it stores no judgement
    event_framework: Mapped[str | None] = mapped_column(String(16))
    event_start: Mapped[date | None] = mapped_column(Date)
    event_end: Mapped[date | None] = mapped_column(Date)
    event_theme: Mapped[str | None] = mapped_column(Text)
    event_note: Mapped[str | None] = mapped_column(Text)

    authority: Mapped[Authority | None] = relationship()
    observations: Mapped[list[Observation]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True)


class Observation(Base):
    """One figure with its provenance. ``value`` is null for grades, whose text is ``value_text``.

    ``key`` identifies the fact within its document across re-ingests (see ``store.load.observation_key``).
    """
    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_indicator_area_period", "indicator_id", "area_code", "period_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicators.id"))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(String(64))
    missing_reason: Mapped[str | None] = mapped_column(String(100))  # why value is null, e.g. a DfE suppression symbol
    unit: Mapped[str] = mapped_column(String(16))
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    qualifier: Mapped[str] = mapped_column(String(16), default="actual")
    status: Mapped[str] = mapped_column(String(16), default="ok")  # ok / needs_review
    page: Mapped[int | None] = mapped_column(Integer)
    x0: Mapped[float | None] = mapped_column(Float)
    top: Mapped[float | None] = mapped_column(Float)
    x1: Mapped[float | None] = mapped_column(Float)
    bottom: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    parser: Mapped[str] = mapped_column(String(64), default="")
    parser_version: Mapped[str] = mapped_column(String(32), default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.9)
    source: Mapped[str] = mapped_column(String(16), default="reported")  # reported / official
    key: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # what the parser noted, "; "-separated (why it doubts a figure)

    document: Mapped[Document] = relationship(back_populates="observations")
    area: Mapped[Authority | None] = relationship()
    indicator: Mapped[Indicator] = relationship()


class IngestRun(Base):
    """One ``scrutiny ingest`` invocation and its counts."""
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paths: Mapped[str] = mapped_column(Text, default="")
    seen: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    figures: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def status(self) -> str:
        """finished, interrupted (by a signal), or unfinished (still running, or killed outright)."""
        if self.interrupted:
            return "interrupted"
        return "finished" if self.finished_at else "unfinished"


class RunEvent(Base):
    """Something that went wrong in a run: a failed file (error), a rejected figure, a warning."""
    __tablename__ = "run_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16))  # error / rejected / warning / interrupted
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Derived, so databases made before it need no new column.
IngestRun.interrupted = column_property(
    exists().where(RunEvent.run_id == IngestRun.id, RunEvent.level == "interrupted"), deferred=False)


class ReviewDecision(Base):
    """An analyst's verdict on a figure, keyed by document hash and fact so it survives re-ingest."""
    __tablename__ = "review_decisions"
    __table_args__ = (UniqueConstraint("document_sha256", "observation_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    observation_key: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))  # accepted / rejected
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
