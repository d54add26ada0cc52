"""Cross-check reported figures against the official DfE statistics: both values side by side, never changed.

A reported figure (status ok, an actual, whole authority) is paired with the official figure of
the same area for its indicator, or for the official indicator it is a local variant of
(``variant_of`` in the vocabulary). The official period must be comparable: for a point in
time (at 31 March, at 30 September) the reference date nearest the reported period's end
and within ``MAX_GAP_DAYS`` of it; for a year (to 31 March, to 30 September) the year the
reported period ends in. The verdict is "consistent" when the values agree within the
indicator's ``tolerance``, "different definition" when they measure different things (a local
variant, another unit, a count over part of DfE's year), else "inconsistent".
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from .schemas.authorities import load_register
from .schemas.vocabulary import Indicator, load_vocabulary
from .store import models as m
from .store.db import session
from .store.queries import check_indicator

MAX_GAP_DAYS = 183  # six months either side of a point-in-time reference date
EPSILON = 1e-6  # floating-point slack on the tolerance
CONSISTENT, DIFFERENT, INCONSISTENT = "consistent", "different definition", "inconsistent"
CHECK_COLUMNS = ("authority", "code", "indicator", "period", "reported", "official_indicator",
                 "official_period", "official", "difference", "unit", "verdict", "document", "page")


@dataclass(frozen=True)
class Check:
    """A reported figure beside its official counterpart."""
    area_code: str
    area_name: str
    indicator: str
    period_start: date | None
    period_end: date
    reported: float
    official_indicator: str
    official_period_start: date
    official_period_end: date
    official: float
    difference: float  # reported minus official
    unit: str
    verdict: str
    document: str
    page: int | None
    evidence: str
    official_evidence: str


def crosscheck(engine: Engine, authority: str | None = None, indicator: str | None = None) -> list[Check]:
    """Every reported figure with an official counterpart, by area, indicator and period.

    ``authority`` is a name or code (LookupError if unknown); ``indicator`` an id, which
    takes in its local variants (``sw_vacancy_rate`` includes ``sw_vacancy_gap_rate``).
    """
    vocabulary = load_vocabulary()
    if indicator:
        check_indicator(engine, indicator)
    targets = {i.id: i.variant_of or i.id for i in vocabulary.values()
               if not indicator or indicator in (i.id, i.variant_of)}
    reported = (select(m.Observation).join(m.Observation.document)
                .where(m.Document.status == "ok", m.Observation.source == "reported",
                       m.Observation.status == "ok", m.Observation.qualifier == "actual",
                       m.Observation.breakdown == "", m.Observation.value.is_not(None),
                       m.Observation.period_end.is_not(None), m.Observation.area_code.is_not(None),
                       m.Observation.indicator_id.in_(targets))
                .options(selectinload(m.Observation.document), selectinload(m.Observation.area)))
    if authority:
        reported = reported.where(m.Observation.area_code == load_register().lookup(authority).code)
    with session(engine) as s:
        figures = list(s.scalars(reported))
        official = s.scalars(select(m.Observation).where(
            m.Observation.source == "official", m.Observation.value.is_not(None),
            m.Observation.breakdown == "", m.Observation.indicator_id.in_(set(targets.values())),
            m.Observation.area_code.in_({f.area_code for f in figures})))
        by_series: dict[tuple[str, str], list[m.Observation]] = defaultdict(list)
        for obs in official:
            by_series[obs.area_code, obs.indicator_id].append(obs)
        checks = []
        for fig in figures:
            match = counterpart(fig, by_series[fig.area_code, targets[fig.indicator_id]])
            if match is not None:
                checks.append(_check(fig, match, vocabulary[fig.indicator_id]))
    return sorted(checks, key=lambda c: (c.area_name, c.indicator, c.period_end, c.document))


def counterpart(fig: m.Observation, official: list[m.Observation]) -> m.Observation | None:
    """The official figure whose period is comparable with the reported one and nearest to it, if any."""
    def gap(obs: m.Observation) -> int:
        return abs((obs.period_end - fig.period_end).days)

    comparable = [obs for obs in official
                  if (obs.period_start <= fig.period_end <= obs.period_end if obs.period_start < obs.period_end
                      else gap(obs) <= MAX_GAP_DAYS)]
    return min(comparable, key=gap, default=None)


def verdict(fig: m.Observation, official: m.Observation, indicator: Indicator) -> str:
    """Whether a reported figure agrees with its official counterpart, or measures something else."""
    part_year = (official.period_start < official.period_end and fig.unit == "count"
                 and fig.period_start is not None and fig.period_start > official.period_start)
    if indicator.variant_of or fig.unit != official.unit or part_year:
        return DIFFERENT
    return CONSISTENT if abs(fig.value - official.value) <= indicator.tolerance + EPSILON else INCONSISTENT


def _check(fig: m.Observation, official: m.Observation, indicator: Indicator) -> Check:
    return Check(
        area_code=fig.area_code, area_name=fig.area.name if fig.area else "", indicator=fig.indicator_id,
        period_start=fig.period_start, period_end=fig.period_end, reported=fig.value,
        official_indicator=official.indicator_id, official_period_start=official.period_start,
        official_period_end=official.period_end, official=official.value,
        difference=round(fig.value - official.value, 4), unit=fig.unit,
        verdict=verdict(fig, official, indicator), document=fig.document.name, page=fig.page,
        evidence=fig.evidence, official_evidence=official.evidence)


def _period(start: date | None, end: date) -> str:
    """A period as 'YYYY-MM-DD' for a point in time, else 'start to end'."""
    return end.isoformat() if start is None or start == end else f"{start.isoformat()} to {end.isoformat()}"


def _number(value: float) -> str:
    """Up to 4 decimals, without trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def check_rows(checks: list[Check]) -> list[tuple[str, ...]]:
    """One row of ``CHECK_COLUMNS`` per check."""
    return [(c.area_name, c.area_code, c.indicator, _period(c.period_start, c.period_end), _number(c.reported),
             c.official_indicator, _period(c.official_period_start, c.official_period_end), _number(c.official),
             _number(c.difference), c.unit, c.verdict, c.document, "" if c.page is None else str(c.page))
            for c in checks]


def checks_csv(checks: list[Check]) -> str:
    """The checks as CSV text with a header of ``CHECK_COLUMNS``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHECK_COLUMNS)
    writer.writerows(check_rows(checks))
    return out.getvalue()
