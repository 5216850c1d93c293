"""The "new in town" alert strip: networks first seen in a district in the last two days.

Shown to commanders and analysts on the operations map and the progress board (not on the
briefing screen); each alert links to the network's page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import dcc, html
from sqlalchemy.orm import Session

from layers.core.clock import LONDON
from layers.networks.reads import district_name, recent_alerts

WINDOW = dt.timedelta(days=2)


def alert_strip(session: Session, now: dt.datetime | None = None) -> html.Div | None:
    """The newest alerts as links ("N12 new in Preston, Wed 14:05"), or ``None``."""
    alerts = recent_alerts(session, (now or dt.datetime.now(dt.UTC)) - WINDOW)
    if alerts.empty:
        return None
    when = pd.to_datetime(alerts["at"], utc=True).dt.tz_convert(LONDON).dt.strftime("%a %H:%M")
    links = [
        dcc.Link(f"N{n} new in {district_name(d)}, {t}", href=f"/networks/{n}")
        for n, d, t in zip(alerts["network_id"], alerts["district_code"], when, strict=True)
    ]
    items: list[object] = [html.Strong("New in town: ")]
    for i, link in enumerate(links):
        items += ([" · "] if i else []) + [link]
    return html.Div(items, className="network-alerts", role="status")
