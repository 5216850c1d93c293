"""Duplicates: within the file, and against what is already stored (inside the commit).

Each built-in kind has one key that makes two rows the same thing (:func:`duplicate_keys`). The
first row of a key is kept; later ones are reported as duplicates with the row they repeat.
Against the store, the check runs in the same transaction as the commit, so two analysts
importing the same file cannot both store it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from layers.core.kinds import ADVERTS, PREMISES, TIPOFFS
from layers.core.models import Location
from layers.imports.readers import RawTable
from layers.imports.report import MAX_LISTED, ImportReport, Problems, RowProblem

logger = logging.getLogger(__name__)

_KEY_COLUMNS = {
    ADVERTS: ("ref", "site"),
    PREMISES: ("ref",),
    TIPOFFS: ("ref", "lon", "lat", "observed_at"),
}


@dataclass
class Prepared:
    """Accepted rows so far, their duplicate keys, the problems and the table they came from."""

    rows: pd.DataFrame
    keys: pd.Series | None
    key_label: str
    problems: Problems
    table: RawTable

    def accepted_rows(self) -> np.ndarray:
        """The analyst's row numbers of the rows still accepted, in order."""
        return self.table.rows[~self.problems.bad]

    def drop(self, mask: np.ndarray) -> None:
        """Remove accepted rows (by position among accepted rows) counted as duplicates."""
        keep = ~mask
        self.rows = self.rows.loc[keep]
        if self.keys is not None:
            self.keys = self.keys.loc[keep]
        gone = np.flatnonzero(~self.problems.bad)[mask]
        self.problems.bad = self.problems.bad.copy()
        self.problems.bad[gone] = True  # removed from "accepted"; counted as duplicates

    def reject(self, mask: np.ndarray, column: str, reason: str, values: pd.Series) -> None:
        """Reject accepted rows (by position among accepted rows) with a reason."""
        positions = np.flatnonzero(~self.problems.bad)
        full = np.zeros(len(self.problems.bad), dtype=bool)
        full[positions[mask]] = True
        full_values = pd.Series(index=range(len(full)), dtype=object)
        full_values.iloc[positions[mask]] = values.to_numpy(dtype=object)[mask]
        self.problems.add(full, column, reason, full_values)
        self.rows = self.rows.loc[~mask]
        if self.keys is not None:
            self.keys = self.keys.loc[~mask]


def duplicate_keys(rows: pd.DataFrame, kind_name: str) -> tuple[pd.Series, str]:
    """What makes two rows of ``kind_name`` the same thing, as one text key per row.

    Adverts: site and advert id. Premises: reference. Tip-offs: reference when given, otherwise
    the same place (to about a metre) at the same time.
    """
    ref = rows["ref"].astype("string")
    if kind_name == ADVERTS:
        codes, sites = pd.factorize(rows["site"].to_numpy(dtype=object), use_na_sentinel=True)
        lower = np.append(
            pd.Series(sites, dtype=object).astype("string").str.lower().to_numpy(), ""
        )
        site = pd.Series(lower[codes], index=rows.index, dtype="string")  # few sites, many rows
        return site + "\x1f" + ref, "advert id"
    if kind_name == PREMISES:
        return ref, "reference"
    observed = pd.to_datetime(rows["observed_at"], utc=True, errors="coerce", format="mixed")
    seconds = (observed.astype("int64") // 1_000_000_000).where(observed.notna())
    place_time = (
        rows["lon"].round(5).astype("string")
        + ","
        + rows["lat"].round(5).astype("string")
        + "@"
        + seconds.astype("Int64").astype("string")
    )
    return ref.where(ref.notna(), "\x1e" + place_time), "reference, or location and time"


def within_file(prepared: Prepared, report: ImportReport) -> None:
    """Drop (and report) rows whose key an earlier row of the file already has."""
    keys = prepared.keys
    if keys is None or keys.empty:
        return
    dup = (keys.duplicated(keep="first") & keys.notna()).to_numpy(dtype=bool)
    if not dup.any():
        return
    rows_seen = prepared.accepted_rows()
    first = (
        pd.Series(rows_seen, index=keys.index)
        .groupby(keys.to_numpy(), sort=False)
        .transform("first")
    )
    report.duplicate_rows.extend(
        RowProblem(
            int(rows_seen[i]),
            None,
            f"same {prepared.key_label} as {report.row_label} {int(first.iloc[i])}",
        )
        for i in np.flatnonzero(dup)[:MAX_LISTED]
    )
    report.duplicates += int(dup.sum())
    prepared.drop(dup)


def against_store(
    session: Session, prepared: Prepared, report: ImportReport, kind_name: str
) -> None:
    """Drop rows already stored (same key) and reject tip-offs linked to unknown premises."""
    if kind_name == TIPOFFS:
        _unknown_linked_premises(session, prepared)
    if prepared.keys is None or prepared.rows.empty:
        return
    stored = _stored_keys(session, kind_name)
    if stored.empty:
        return
    hit = prepared.keys.isin(stored).to_numpy(dtype=bool)
    if not hit.any():
        return
    rows_seen = prepared.accepted_rows()
    room = max(0, MAX_LISTED - len(report.duplicate_rows))
    report.duplicate_rows.extend(
        RowProblem(int(rows_seen[i]), None, f"already stored (same {prepared.key_label})")
        for i in np.flatnonzero(hit)[:room]
    )
    report.duplicates += int(hit.sum())
    prepared.drop(hit)


def _unknown_linked_premises(session: Session, prepared: Prepared) -> None:
    linked = prepared.rows["linked_premises_id"]
    if not linked.notna().any():
        return
    wanted = {int(v) for v in linked.dropna().unique()}
    known = set(
        session.scalars(
            select(Location.id).where(Location.kind == PREMISES, Location.id.in_(wanted))
        )
    )
    missing = linked.notna() & ~linked.isin(known)
    if missing.any():
        prepared.reject(
            missing.to_numpy(dtype=bool),
            "linked_premises_id",
            "linked premises {value} is not a stored premises id",
            linked,
        )


def _stored_keys(session: Session, kind_name: str) -> pd.Series:
    """Duplicate keys of what is already stored for the kind (only the columns the key needs)."""
    columns = _KEY_COLUMNS[kind_name]
    result = session.execute(
        select(*(getattr(Location, c) for c in columns)).where(Location.kind == kind_name)
    )
    frame = pd.DataFrame(result.all(), columns=list(columns))
    if frame.empty:
        return pd.Series([], dtype="string")
    keys, _ = duplicate_keys(frame, kind_name)
    return keys.dropna()
