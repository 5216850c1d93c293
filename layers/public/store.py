"""Drafting, approving, rejecting and exporting public updates, each step logged.

The rules: only commanders and admins take part; the person who drafted an update cannot
approve or reject it; a rejection says why; only an approved update can be exported. Every step
writes an event row and a processing-log entry in the same transaction as the change, and an
export is logged as a disclosure to the public with the figures released.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, replace
from typing import Any, Protocol

import geopandas as gpd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from layers.audit.processing_log import ALTERATION, CONSULTATION, DISCLOSURE, record
from layers.core.clock import today_local
from layers.core.db import Database
from layers.core.errors import NotFound, RuleError, found
from layers.core.models import utcnow
from layers.public.bundle import Bundle, Texts, compose, render_files
from layers.public.figures import Period, count_period
from layers.public.models import PublicUpdate, PublicUpdateEvent
from layers.public.release import HELD, PASSED, WARNING, Check, Release, build_release

logger = logging.getLogger(__name__)

DRAFT = "draft"
APPROVED = "approved"
REJECTED = "rejected"
PUBLISHERS: tuple[str, ...] = ("admin", "commander")
"""Roles that draft and decide public updates (``dashboard.access`` ADMIN and COMMANDER)."""
MAX_NOTE = 2_000
PUBLIC = "the public"


class NotPermitted(RuleError):
    """The caller may not take this step (wrong role, or the drafter deciding their own)."""


class NotApproved(RuleError):
    """An export of an update that has not been approved."""


class Actor(Protocol):
    """Who takes a step: a :class:`dashboard.access.Principal` or :class:`Person`."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Person:
    """An actor known by name and role (the CLI resolves it from the user's account)."""

    username: str
    role: str


def _check_actor(actor: Actor) -> None:
    if actor.role not in PUBLISHERS:
        raise NotPermitted(
            f"{actor.username} has the {actor.role} role: public updates are drafted and "
            "approved by commanders and admins"
        )


def _event(session: Session, row: PublicUpdate, who: str, action: str, note: str | None) -> None:
    session.add(PublicUpdateEvent(update_id=row.id, at=utcnow(), username=who, action=action,
                                  note=note))


def _overlaps(db: Database, period: Period) -> list[Check]:
    """A warning for each approved update over some of the same days but not the same period:
    one subtracted from the other could give a small count for the days they differ by."""
    with db.read() as session:
        rows = session.execute(
            select(PublicUpdate.id, PublicUpdate.period_start, PublicUpdate.period_end).where(
                PublicUpdate.status == APPROVED, PublicUpdate.period_start <= period.end,
                PublicUpdate.period_end >= period.start,
            )
        ).all()
    return [
        Check("overlap", WARNING, f"Approved update #{uid} covers {start} to {end}, some of the "
              "same days: subtracting one from the other could reveal a small count.")
        for uid, start, end in rows if (start, end) != (period.start, period.end)
    ]


def draft_update(db: Database, period: Period, scope: str, actor: Actor, k: int,
                 today: dt.date | None = None) -> PublicUpdate:
    """Count the period, apply the disclosure rules, compose the texts and store the draft."""
    _check_actor(actor)
    today = today or today_local()
    asked = period
    period = period.up_to(today)
    revision = db.revision()
    counts, ids = count_period(db, period)
    release = build_release(counts, period, scope, k)
    extra = [Check("text", PASSED, "Texts made only of templates, place names of districts and "
                   "divisions, and numbers: every word checked.")]
    if period != asked:
        extra.append(Check("future", HELD, f"The period ends today ({today.isoformat()}): later "
                           "days have not happened yet."))
    extra += _overlaps(db, period)
    release = replace(release, checks=(*release.checks, *extra))
    texts = compose(release)
    with db.write(bump=False) as session:
        row = PublicUpdate(
            period_start=period.start, period_end=period.end, scope=scope, level=release.level,
            k=release.k, release=json.dumps(release.as_dict()), x_text=texts.x,
            facebook_text=texts.facebook, cards=texts.cards_json(), status=DRAFT,
            drafted_by=actor.username, drafted_at=utcnow(), exports=0, data_revision=revision,
        )
        session.add(row)
        session.flush()
        _event(session, row, actor.username, "drafted", None)
        record(session, actor.username, CONSULTATION,
               f"public update #{row.id} drafted ({period.start} to {period.end}, scope {scope}, "
               f"k {release.k}): visits, outcomes and results of {len(ids)} locations counted",
               records=ids)
    return row


def decide(db: Database, update_id: int, actor: Actor, approve: bool,
           note: str | None = None) -> PublicUpdate:
    """Approve or reject a draft as a second person; a rejection needs a note."""
    _check_actor(actor)
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValueError(f"the note is longer than {MAX_NOTE} characters")
    if not approve and not note:
        raise RuleError("a rejection needs a note saying what to change")
    status = APPROVED if approve else REJECTED
    with db.write(bump=False) as session:
        row = _get(session, update_id)
        if row.drafted_by.casefold() == actor.username.casefold():
            raise NotPermitted(
                f"{actor.username} drafted update #{update_id}: a second person (a commander "
                "or admin) must approve or reject it"
            )
        changed = session.execute(
            update(PublicUpdate)
            .where(PublicUpdate.id == update_id, PublicUpdate.status == DRAFT)
            .values(status=status, decided_by=actor.username, decided_at=utcnow(),
                    decision_note=note)
            .returning(PublicUpdate.id)
            .execution_options(synchronize_session=False)
        ).first()
        if changed is None:
            session.refresh(row)
            raise RuleError(f"update #{update_id} was already {row.status} by {row.decided_by}")
        session.refresh(row)
        _event(session, row, actor.username, status, note)
        record(session, actor.username, ALTERATION,
               f"public update #{update_id} {status} (second person; drafted by "
               f"{row.drafted_by})", justification=note)
    return row


def _get(session: Session, update_id: int) -> PublicUpdate:
    return found(session.get(PublicUpdate, update_id), NotFound(f"no public update {update_id}"))


def get_update(db: Database, update_id: int) -> PublicUpdate:
    """One update (``NotFound`` when there is none)."""
    with db.read() as session:
        return _get(session, update_id)


def list_updates(db: Database, limit: int = 200) -> list[PublicUpdate]:
    """The latest updates, newest first."""
    with db.read() as session:
        return list(session.scalars(
            select(PublicUpdate).order_by(PublicUpdate.id.desc()).limit(limit)
        ))


def events(db: Database, update_id: int) -> list[PublicUpdateEvent]:
    """The steps of one update, oldest first."""
    with db.read() as session:
        return list(session.scalars(
            select(PublicUpdateEvent).where(PublicUpdateEvent.update_id == update_id)
            .order_by(PublicUpdateEvent.id)
        ))


def release_of(row: PublicUpdate) -> Release:
    """The stored release of an update."""
    return Release.from_dict(json.loads(row.release))


def texts_of(row: PublicUpdate) -> Texts:
    """The stored texts of an update (what was approved)."""
    return Texts.stored(row.x_text, row.facebook_text, row.cards)


def preview(row: PublicUpdate, boundaries: gpd.GeoDataFrame | None) -> Bundle:
    """The files of any update, for reviewers inside OpsMap (nothing leaves; nothing logged)."""
    return render_files(row.id, release_of(row), texts_of(row), boundaries)


def export_update(db: Database, update_id: int, username: str,
                  boundaries: gpd.GeoDataFrame | None) -> Bundle:
    """The files of an approved update, logged as a disclosure to the public.

    Refused (:class:`NotApproved`) unless the update is approved. The files are rendered first
    and handed back only after the log entry has committed.
    """
    row = get_update(db, update_id)
    if row.status != APPROVED:
        raise NotApproved(f"update #{update_id} is {row.status}: only an approved update can "
                          "be exported")
    bundle = render_files(row.id, release_of(row), texts_of(row), boundaries)
    with db.write(bump=False) as session:
        current = _get(session, update_id)
        if current.status != APPROVED:
            raise NotApproved(f"update #{update_id} is no longer approved")
        current.exports += 1
        _event(session, current, username, "exported", None)
        record(session, username, DISCLOSURE,
               f"public update #{update_id} disclosed to {PUBLIC} ({row.period_start} to "
               f"{row.period_end}); figures released: {release_of(row).released()}",
               justification=f"approved by {row.decided_by}: {row.decision_note or 'no note'}")
    return bundle


def as_dict(row: PublicUpdate) -> dict[str, Any]:
    """An update as JSON: id, state, figures, texts and the checks that passed or held back."""
    release = release_of(row)
    texts = texts_of(row)
    return {
        "id": row.id,
        "status": row.status,
        "period": {"from": release.start, "to": release.end, "words": release.period},
        "scope": row.scope,
        "level": release.level,
        "k": release.k,
        "figures": {
            "force": {f.key: f.text for f in release.force},
            "areas": {a.name: {f.key: f.text for f in a.figures} for a in release.areas},
            "map": {"level": release.map_level, "values": dict(release.map_values)},
        },
        "texts": {
            "x": texts.x,
            "facebook": texts.facebook,
            "cards": {k: c.lines() for k, c in texts.cards.items()},
            "alt": texts.alt,
        },
        "checks": [{"rule": c.rule, "outcome": c.outcome, "message": c.message}
                   for c in release.checks],
        "drafted_by": row.drafted_by,
        "drafted_at": row.drafted_at.isoformat() if row.drafted_at else None,
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "decision_note": row.decision_note,
        "exports": row.exports,
    }
