"""The locust scenario of ``bench/bench_load.py``: a day of the week of action, 50 people at once.

- 30 operations-map viewers: signed in, they load the map page, which then polls at its own
  interval (10 s); in 40% of intervals they also change the status filter. All through the
  real Dash callbacks (``/_dash-update-component``), as the browser sends them;
- 10 commanders: each every 3-8 s plans, progresses or unplans one of their own premises
  through the JSON API (``POST``/``DELETE /api/assignments``, ``PATCH /api/locations/<id>``);
- 5 analysts: each every 20-40 s imports a small CSV file (5 premises) through the imports API;
- 5 briefing screens: signed in with the briefing role, every 4-8 s a panel rotates or the
  data refreshes (faster than the screen's own 20 s and 30 s, to load it).

``OPSMAP_BENCH_PLAN`` names the JSON file with the accounts, tokens and locations prepared by
``bench_load.py``; every write a client sees acknowledged is appended to ``OPSMAP_BENCH_ACKS``
and the status codes per request type go to ``OPSMAP_BENCH_CODES`` when locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant_pacing, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dash_client import DashPage
from dashboard.pages.briefing.ids import Ids as BriefingIds
from dashboard.pages.operations.ids import Ids as MapIds
from dashboard.pages.operations.layout import POLL_MS

PLAN: dict[str, Any] = json.loads(Path(os.environ["OPSMAP_BENCH_PLAN"]).read_text())
ACKS = Path(os.environ["OPSMAP_BENCH_ACKS"]).open("a", encoding="utf-8")  # noqa: SIM115
CODES: defaultdict[str, Counter[int]] = defaultdict(Counter)
SEATS = {role: itertools.count() for role in ("viewers", "commanders", "analysts", "briefing")}
FILTERS = (None, ["unplanned"], ["planned", "in_progress"], ["unplanned", "planned"])
FILTER_CHANCE = 0.4
"""Share of poll intervals in which a viewer also changes the status filter."""
NEXT = {"planned": "in_progress", "in_progress": "planned"}
TIMEOUT_S = 60


@events.request.add_listener
def _count(name: str, response: Any = None, exception: Any = None, **_kw: Any) -> None:
    CODES[name][int(getattr(response, "status_code", 0) or 0)] += 1


@events.quitting.add_listener
def _save(**_kw: Any) -> None:
    ACKS.close()
    out = {name: dict(codes) for name, codes in CODES.items()}
    Path(os.environ["OPSMAP_BENCH_CODES"]).write_text(json.dumps(out), encoding="utf-8")


def acknowledge(**record: Any) -> None:
    """Note a write the server acknowledged (checked against the database after the run)."""
    ACKS.write(json.dumps(record) + "\n")
    ACKS.flush()


class SignedIn(HttpUser):
    """Someone using the dashboard in a browser: a session cookie and one page's state."""

    abstract = True
    role = ""
    path = "/"

    def on_start(self) -> None:
        seat = PLAN[self.role][next(SEATS[self.role])]
        self.client.headers["Origin"] = self.host
        self.client.post("/login", data=seat, allow_redirects=False, name="POST /login",
                         timeout=TIMEOUT_S)
        self.client.get(self.path, name=f"GET {self.path} (page)", timeout=TIMEOUT_S)
        deps = self.client.get("/_dash-dependencies", name="GET /_dash-dependencies",
                               timeout=TIMEOUT_S).json()
        self.page = DashPage(deps)
        self.page.apply(self._post(self.page.page_body(self.path), f"callback page {self.path}"))

    def _post(self, body: dict[str, Any], name: str) -> dict[str, Any]:
        with self.client.post("/_dash-update-component", json=body, name=name,
                              headers={"X-Bench": name}, timeout=TIMEOUT_S,
                              catch_response=True) as response:
            if response.status_code == 204:  # the callback chose not to update
                return {}
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return {}
            return dict(response.json())

    def fire(self, trigger: str, value: Any, name: str) -> None:
        """Change one property and run the callback it triggers, as the browser would."""
        self.page.set(trigger, value)
        self.page.apply(self._post(self.page.body(self.page.callback(trigger), trigger), name))


class Viewer(SignedIn):
    """An operations-map viewer: the page polls at its own interval; now and then they filter."""

    fixed_count = 30
    role = "viewers"
    path = "/"
    wait_time = constant_pacing(POLL_MS / 1000)

    @task
    def poll_and_filter(self) -> None:
        count = self.page.values.get((str(MapIds.POLL), "n_intervals")) or 0
        self.fire(f"{MapIds.POLL}.n_intervals", count + 1, "callback map: poll")
        if random.random() < FILTER_CHANCE:
            self.wait()  # a person reads the map before changing a filter
            self.fire(f"{MapIds.STATUS}.value", random.choice(FILTERS), "callback map: filter")


class Briefing(SignedIn):
    """A briefing screen: panels rotate, data refreshes."""

    fixed_count = 5
    role = "briefing"
    path = "/briefing"
    wait_time = between(4, 8)

    @task(2)
    def rotate(self) -> None:
        count = self.page.values.get((str(BriefingIds.ROTATE), "n_intervals")) or 0
        self.fire(f"{BriefingIds.ROTATE}.n_intervals", count + 1, "callback briefing: rotate")

    @task(1)
    def refresh(self) -> None:
        count = self.page.values.get((str(BriefingIds.REFRESH), "n_intervals")) or 0
        self.fire(f"{BriefingIds.REFRESH}.n_intervals", count + 1, "callback briefing: refresh")


class Commander(HttpUser):
    """A commander planning and progressing their own premises through the API."""

    fixed_count = 10
    wait_time = between(3, 8)

    def on_start(self) -> None:
        seat = PLAN["commanders"][next(SEATS["commanders"])]
        self.username, self.team, self.day = seat["username"], seat["team_id"], seat["day"]
        self.client.headers["Authorization"] = f"Bearer {seat['token']}"
        self.mine: dict[int, dict[str, Any]] = {
            loc: {"status": "unplanned", "version": 1, "assignment": None}
            for loc in seat["locations"]
        }

    def _call(self, method: str, path: str, name: str, body: dict[str, Any]) -> tuple[int, Any]:
        with self.client.request(method, path, json=body, name=name, timeout=TIMEOUT_S,
                                 catch_response=True) as response:
            if response.status_code >= 300:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            try:
                return response.status_code, response.json()
            except ValueError:
                return response.status_code, {}

    def _done(self, loc: int, version: int, status: str, action: str) -> None:
        self.mine[loc].update(version=version, status=status)
        acknowledge(kind=action, user=self.username, loc=loc, version=version)

    @task
    def change(self) -> None:
        if not self.mine:
            raise StopUser  # every location of theirs is in a state this script does not know
        loc = random.choice(list(self.mine))
        here = self.mine[loc]
        if here["status"] == "unplanned":
            code, body = self._call("POST", "/api/assignments", "POST /api/assignments",
                                    {"location_id": loc, "version": here["version"],
                                     "team_id": self.team, "day": self.day})
            if code == 201:
                here["assignment"] = (body["id"], body["version"])
                self._done(loc, body["location_version"], "planned", "plan")
        elif here["status"] == "planned" and here["assignment"] and random.random() < 0.4:
            assignment, version = here["assignment"]
            code, body = self._call("DELETE", f"/api/assignments/{assignment}",
                                    "DELETE /api/assignments/[id]", {"version": version})
            if code == 200:
                here["assignment"] = None
                self._done(loc, body["location_version"], "unplanned", "plan")
        else:
            code, body = self._call("PATCH", f"/api/locations/{loc}",
                                    "PATCH /api/locations/[id]",
                                    {"status": NEXT[here["status"]], "version": here["version"]})
            if code == 200:
                self._done(loc, body["version"], body["status"], "status")
        if code not in (200, 201):
            del self.mine[loc]  # its state is no longer known here: leave it alone


class Analyst(HttpUser):
    """An analyst importing each morning's small scrape of premises."""

    fixed_count = 5
    wait_time = between(20, 40)
    ROWS = 5

    def on_start(self) -> None:
        seat = PLAN["analysts"][next(SEATS["analysts"])]
        self.username = seat["username"]
        self.client.headers["Authorization"] = f"Bearer {seat['token']}"

    @task
    def upload(self) -> None:
        name = f"bench-{uuid.uuid4().hex[:12]}.csv"
        rows = "".join(
            f"{name[6:14]}-{i},{i + 1} Bench Street,medium,other,"
            f"{53.70 + random.random() * 0.1:.5f},{-2.75 + random.random() * 0.1:.5f}\n"
            for i in range(self.ROWS)
        )
        csv = "ref,address,risk,premises_type,lat,lon\n" + rows
        with self.client.post("/api/imports", data={"kind": "premises"},
                              files={"file": (name, csv.encode(), "text/csv")},
                              name="POST /api/imports", timeout=TIMEOUT_S,
                              catch_response=True) as response:
            if response.status_code != 200 or not response.json().get("committed"):
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
        acknowledge(kind="import", user=self.username, file=name, rows=self.ROWS)
