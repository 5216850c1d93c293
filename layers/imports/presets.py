"""Named mapping presets: the column and value mappings of one export, saved for next week's.

Analysts receive the same exports every week (the licensing list, the scraper's adverts). A
preset keeps how that file's columns map onto a kind's fields, and how its unfamiliar choice
values map onto known ones, under a name; choosing it fills the page's grid again. A preset
only ever names columns: each file's mapping is still checked against that file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from layers.core.models import Base, utcnow
from layers.imports.choices import ValueMap
from layers.imports.safety import ImportRefused

logger = logging.getLogger(__name__)

MAX_NAME = 120


class ImportPreset(Base):
    """One named mapping preset."""

    __tablename__ = "import_presets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    value_map: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class Preset:
    """A preset as the page uses it."""

    name: str
    kind: str
    mapping: dict[str, str] = field(default_factory=dict)
    values: ValueMap = field(default_factory=dict)


def save_preset(session: Session, preset: Preset, username: str) -> Preset:
    """Save (or replace, by name ignoring case) a preset; refused without a name or mapping."""
    name = preset.name.strip()
    if not name or len(name) > MAX_NAME:
        raise ImportRefused(f"a preset name must have 1 to {MAX_NAME} characters")
    if not preset.mapping and not preset.values:
        raise ImportRefused("there is no mapping to save: choose at least one column's field")
    row = session.scalars(
        select(ImportPreset).where(func.lower(ImportPreset.name) == name.lower())
    ).first()
    if row is None:
        row = ImportPreset(name=name, created_by=username, created_at=utcnow())
        session.add(row)
    row.kind = preset.kind
    row.mapping = json.dumps(preset.mapping, sort_keys=True)
    row.value_map = json.dumps(preset.values, sort_keys=True)
    session.flush()
    logger.info("mapping preset '%s' saved by %s", name, username)
    return Preset(name, preset.kind, dict(preset.mapping), dict(preset.values))


def list_presets(session: Session, kind: str | None = None) -> list[Preset]:
    """Saved presets (of ``kind`` when given), by name."""
    query = select(ImportPreset).order_by(func.lower(ImportPreset.name))
    if kind:
        query = query.where(ImportPreset.kind == kind)
    return [
        Preset(p.name, p.kind, json.loads(p.mapping or "{}"), json.loads(p.value_map or "{}"))
        for p in session.scalars(query)
    ]
