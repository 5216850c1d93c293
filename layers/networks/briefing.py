"""What the briefing shows of networks: how many are live, and moves since the last briefing.

District names and days only, with the network's number: never an advert, a phone, a word of
text or a photo hash. Dismissed networks are left out.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from layers.core.clock import LONDON
from layers.core.db import Database
from layers.networks.views import redacted_summary

MOVE_COLUMNS = ["network", "from", "to", "day"]


def briefing_networks(db: Database, since: dt.datetime) -> tuple[int, pd.DataFrame]:
    """Networks active now, and their moves from the London day of ``since`` on."""
    with db.read() as session:
        summary = redacted_summary(session, since)
    moves = pd.DataFrame(summary["moves"], columns=MOVE_COLUMNS)
    moves["day"] = pd.to_datetime(moves["day"]).dt.date
    first = since.astimezone(LONDON).date()
    return int(summary["networks_active"]), moves[moves["day"] >= first].reset_index(drop=True)


def move_arrows(moves: pd.DataFrame) -> pd.DataFrame:
    """Moves counted per pair of districts (``from``, ``to``, ``networks``), most first."""
    if moves.empty:
        return pd.DataFrame(columns=["from", "to", "networks"])
    counts = moves.groupby(["from", "to"]).size().rename("networks").reset_index()
    return counts.sort_values("networks", ascending=False, ignore_index=True)
