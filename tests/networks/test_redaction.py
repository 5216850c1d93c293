"""Redaction: no advert text, no phone digits, no hash in any briefing response or pack."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from layers.networks.adverts import read_adverts
from tests.briefing.test_pack import pdf_text

pytestmark = pytest.mark.slow


def _secrets(frame: pd.DataFrame, app) -> list[str]:
    """Strings the briefing must never contain: text, titles, numbers, photo and phone hashes."""
    key = app.extensions["opsmap"].config.phone_key
    read = read_adverts(frame["phone"], frame["title"], frame["text"], key)
    numbers = frame["phone"].str.replace(r"\D", "", regex=True)
    out = [t[:40] for t in read.texts.dropna()] + [t for t in read.titles.dropna() if len(t) > 12]
    out += [n[-10:] for n in numbers if len(n) >= 10]
    out += [h for cell in frame["image_hashes"] for h in re.split("[;,]", cell)]
    out += read.hashed["phone_hash"].tolist()
    return out


def test_net090_briefing_answers_and_pack_hold_no_text_phone_or_hash(linked_app, client_as):
    app, frame = linked_app
    secrets = _secrets(frame, app)
    assert len(secrets) > 1000
    client = client_as("briefing")
    network = client_as("analyst").get("/api/networks").get_json()["networks"][0]["id"]
    day = frame["observed_at"].dt.date.max().isoformat()
    answers = {
        "list": client.get("/api/networks").get_data(as_text=True),
        "one": client.get(f"/api/networks/{network}").get_data(as_text=True),
        "html": client.get(f"/briefing/pack?format=html&date={day}").get_data(as_text=True),
        "csv": client.get(f"/briefing/pack?format=csv&date={day}").get_data(as_text=True),
        "pdf": pdf_text(client.get(f"/briefing/pack?format=pdf&date={day}").data),
    }
    for name, text in answers.items():
        assert len(text) > 40, name
        leaked = [s for s in secrets if s in text]
        assert not leaked, (name, leaked[:5])
        assert "[phone]" not in text, name
        assert not re.search(r"phone ending|\b\d{3}:[0-9a-f]{8}", text), name
