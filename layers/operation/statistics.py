"""The anonymous statistics an operation may keep after its records are erased.

Counts only, by kind, district, status and outcome: how many locations, and the totals of the
visit results (people safeguarded, referrals, arrests...). No id, reference, address, time,
phone hash or free text survives, so nothing in them points at a person or a place smaller
than a district.
"""

from __future__ import annotations

import json
import logging
from collections import Counter

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from layers.core.models import Base, Location

logger = logging.getLogger(__name__)

LOCATIONS = "locations"
"""The measure counting locations; the other measures are the visit results' own names."""


class OperationStatistic(Base):
    """One anonymous figure: ``measure`` for ``kind`` in a district at a status and outcome."""

    __tablename__ = "operation_statistics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(24))
    measure: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)


Key = tuple[str, str, str, str, str]


def summarise(session: Session) -> Counter[Key]:
    """``(kind, district, status, outcome, measure) -> value`` over every stored location."""
    figures: Counter[Key] = Counter()
    rows = session.execute(
        select(
            Location.kind,
            Location.district_code,
            Location.status,
            Location.outcome,
            Location.outcome_detail,
        )
    )
    for kind, district, status, outcome, detail in rows:
        base = (str(kind), str(district), str(status), str(outcome or ""))
        figures[(*base, LOCATIONS)] += 1
        results = json.loads(detail) if detail else {}
        for measure, value in (results.items() if isinstance(results, dict) else ()):
            if isinstance(value, int) and not isinstance(value, bool):
                figures[(*base, str(measure)[:40])] += value
    return figures


def keep(session: Session, figures: Counter[Key]) -> int:
    """Store the figures (in the erasure's transaction); returns how many rows were kept."""
    session.add_all(
        OperationStatistic(
            kind=kind, district_code=district, status=status, outcome=outcome,
            measure=measure, value=int(value),
        )
        for (kind, district, status, outcome, measure), value in sorted(figures.items())
    )
    return len(figures)


def kept(session: Session) -> Counter[Key]:
    """The statistics kept after an erasure."""
    return Counter(
        {
            (r.kind, r.district_code, r.status, r.outcome, r.measure): r.value
            for r in session.scalars(select(OperationStatistic))
        }
    )
