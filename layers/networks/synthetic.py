"""A labelled synthetic week of adverts with every phenomenon linking must survive.

Networks (controllers) advertise one or more women over the week; each keeps a wording habit (a
template with slots), re-uses photos (re-encoded, so their perceptual hashes differ by a few
bits), may rotate phone numbers, writes numbers obfuscated, shares stock phrases and agency
boilerplate with unrelated networks, and some tour a circuit of Lancashire towns. Independent
advertisers post once or twice. The ground truth (network of every advert, every move between
districts with its day) comes with the week, so a linking can be scored. The same seed and mix
give the same week. Phone numbers come from Ofcom's ranges for drama first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from layers.core.clock import LONDON
from layers.networks import corpus
from layers.networks.wording import (
    column_format,
    fill_choices,
    fill_slots,
    misspell,
    reencode,
    text_format,
)

DEFAULT_WEEK = dt.date(2026, 11, 30)
SITES = ("site-a.example", "site-b.example", "site-c.example", "site-d.example")


@dataclass(frozen=True)
class Town:
    """A town centre (British National Grid metres) and the district it is in."""

    name: str
    district: str
    easting: float
    northing: float


TOWNS: tuple[Town, ...] = (
    Town("Blackpool", "E06000009", 331500, 436000),
    Town("Preston", "E07000123", 354000, 429500),
    Town("Lancaster", "E07000121", 347700, 461600),
    Town("Morecambe", "E07000121", 343500, 464300),
    Town("Blackburn", "E06000008", 368200, 428200),
    Town("Darwen", "E06000008", 369300, 422400),
    Town("Burnley", "E07000117", 384200, 432500),
    Town("Accrington", "E07000120", 376000, 428600),
    Town("Nelson", "E07000122", 386400, 437800),
    Town("Clitheroe", "E07000124", 374300, 441700),
    Town("Rawtenstall", "E07000125", 381000, 422800),
    Town("Chorley", "E07000118", 358500, 417700),
    Town("Leyland", "E07000126", 354000, 422000),
    Town("Ormskirk", "E07000127", 341400, 408400),
    Town("Skelmersdale", "E07000127", 347200, 406000),
    Town("Lytham St Annes", "E07000119", 332500, 428800),
    Town("Fleetwood", "E07000128", 333600, 447700),
)
_TOWN_WEIGHTS = np.array([18, 16, 8, 6, 12, 4, 10, 8, 6, 4, 5, 8, 7, 5, 6, 6, 5], dtype=float)


@dataclass(frozen=True)
class Mix:
    """How much of each phenomenon a week has (shares 0..1 unless stated)."""

    independents: float = 0.25
    rotate: float = 0.5
    obfuscate: float = 0.4
    number_in_text: float = 0.6
    no_phone_column: float = 0.2
    stock: float = 0.8
    agencies: float = 0.3
    stock_photos: float = 0.05
    reencode_bits: int = 4
    touring: float = 0.4
    profiles: int = 3
    mean_size: float = 15.0


@dataclass(frozen=True)
class SyntheticWeek:
    """Adverts as an export would give them, their true network and the true moves."""

    adverts: pd.DataFrame
    network: np.ndarray
    moves: pd.DataFrame
    week_start: dt.date


@dataclass
class _Network:
    """One controller: itinerary, profiles, wording, numbers and habits."""

    ident: int
    size: int
    stops: list[tuple[int, int]]  # (first day, town index)
    profiles: list[dict[str, object]]
    template: list[str]
    title: str
    numbers: list[tuple[int, str]]  # (first day, national number)
    agency: str | None
    style: str
    second_number: str | None = None
    days: list[int] = field(default_factory=list)


class _Writer:
    """Draws a week from one random generator, so one seed gives one week."""

    def __init__(self, seed: int, mix: Mix, n_adverts: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.mix = mix
        self.numbers = _number_pool(self.rng)
        self.next_number = 0
        # Stock photos are the few pictures very many unrelated advertisers re-use.
        pool = max(8, n_adverts // 1000)
        self.stock_photos = self.rng.integers(0, 2**63, size=pool, dtype=np.int64).astype(np.uint64)

    def number(self) -> str:
        self.next_number += 1
        if self.next_number <= len(self.numbers):
            return self.numbers[self.next_number - 1]
        return (
            "07"
            + "".join(map(str, self.rng.integers(4, 10, size=1)))
            + "".join(map(str, self.rng.integers(0, 10, size=8)))
        )

    def sizes(self, n: int) -> tuple[list[int], list[int]]:
        """Sizes of networks and of independents' advert runs, adding up to ``n``."""
        indep: list[int] = []
        target = round(self.mix.independents * n)
        while sum(indep) < target:
            indep.append(int(self.rng.integers(1, 3)))
        sizes: list[int] = []
        left = n - sum(indep)
        while left > 0:
            mu = np.log(self.mix.mean_size) - 0.3
            size = int(np.clip(self.rng.lognormal(mu, 0.75), 4, 150))
            size = left if left - size < 4 else size
            sizes.append(size)
            left -= size
        return sizes, indep

    def network(self, ident: int, size: int, independent: bool) -> _Network:
        rng, mix = self.rng, self.mix
        town = int(rng.choice(len(TOWNS), p=_TOWN_WEIGHTS / _TOWN_WEIGHTS.sum()))
        stops = [(0, town)]
        if not independent and size >= 7 and rng.random() < mix.touring:
            stops = _itinerary(rng, town)
        n_profiles = 1 if independent else int(rng.integers(1, mix.profiles + 1))
        profiles = [self._profile() for _ in range(n_profiles)]
        sentences = rng.choice(len(corpus.SENTENCES), size=int(rng.integers(5, 9)), replace=False)
        template = [misspell(fill_choices(corpus.SENTENCES[int(i)], rng), rng) for i in sentences]
        title = fill_choices(corpus.TITLES[int(rng.integers(len(corpus.TITLES)))], rng)
        numbers = [(0, self.number())]
        if not independent and rng.random() < mix.rotate:
            for day in sorted(
                rng.choice(np.arange(1, 7), size=int(rng.integers(1, 3)), replace=False)
            ):
                numbers.append((int(day), self.number()))
        agency = None
        if not independent and rng.random() < mix.agencies:
            agency = corpus.AGENCY_BOILERPLATE[int(rng.integers(len(corpus.AGENCY_BOILERPLATE)))]
        style = "plain"
        if rng.random() < mix.obfuscate:
            style = str(rng.choice(["letters", "spaced", "words", "dotted"]))
        return _Network(ident, size, stops, profiles, template, title, numbers, agency, style)

    def _profile(self) -> dict[str, object]:
        rng = self.rng
        photos = rng.integers(0, 2**63, size=int(rng.integers(3, 7)), dtype=np.int64)
        return {
            "name": str(rng.choice(corpus.NAMES)),
            "age": str(int(rng.integers(19, 36))),
            "nationality": str(rng.choice(corpus.NATIONALITIES)),
            "photos": photos.astype(np.uint64) * np.uint64(2) + rng.integers(0, 2, dtype=np.uint64),
            "price": str(rng.choice(corpus.PRICES)),
        }


def _itinerary(rng: np.random.Generator, first: int) -> list[tuple[int, int]]:
    """A circuit: two to four stops in towns of different districts, moving on set days."""
    stops = [(0, first)]
    n_moves = int(rng.integers(1, 4))
    days = sorted(int(d) for d in rng.choice(np.arange(1, 7), size=n_moves, replace=False))
    for day in days:
        seen = TOWNS[stops[-1][1]].district
        options = [i for i, t in enumerate(TOWNS) if t.district != seen]
        stops.append((day, int(rng.choice(options))))
    return stops


def _number_pool(rng: np.random.Generator) -> list[str]:
    """Ofcom's drama numbers (mobile first, then geographic), shuffled within each range."""
    pool: list[str] = []
    for prefix in ("07700900", "01632960", "01134960", "01214960", "01614960", "01514960"):
        block = [f"{prefix}{i:03d}" for i in range(1000)]
        rng.shuffle(block)
        pool.extend(block)
    return pool


def _at(stops: list[tuple[int, int]], day: int) -> int:
    return [town for first, town in stops if first <= day][-1]


def _days(rng: np.random.Generator, net: _Network) -> list[int]:
    """Posting days: a touring network posts every day of the week, others when they like."""
    if len(net.stops) > 1:
        extra = rng.integers(0, 7, size=net.size - 7).tolist()
        return sorted([*range(7), *extra])
    start = int(rng.integers(0, 7))
    return sorted(int(d) for d in rng.integers(start, 7, size=net.size))


def _advert(w: _Writer, net: _Network, day: int) -> dict[str, object]:
    rng, mix = w.rng, w.mix
    town = TOWNS[_at(net.stops, day)]
    profile = net.profiles[int(rng.integers(len(net.profiles)))]
    number = [n for first, n in net.numbers if first <= day][-1]
    slots = {k: v for k, v in profile.items() if isinstance(v, str)} | {"town": town.name}
    parts = [fill_slots(s, slots) for s in net.template if rng.random() > 0.15]
    if rng.random() < mix.stock:
        for phrase in rng.choice(corpus.STOCK_PHRASES, size=int(rng.integers(1, 4)), replace=False):
            parts.insert(int(rng.integers(0, len(parts) + 1)), str(phrase))
    if rng.random() < mix.number_in_text:
        sentence = str(rng.choice(corpus.NUMBER_SENTENCES))
        parts.append(sentence.replace("{number}", text_format(number, net.style, rng)))
    if net.agency:
        parts.append(net.agency)
    photos = rng.choice(profile["photos"], size=int(rng.integers(1, 5)))  # type: ignore[call-overload]
    hashes = [reencode(int(h), int(rng.integers(0, mix.reencode_bits + 1)), rng) for h in photos]
    if rng.random() < mix.stock_photos:
        hashes.append(int(rng.choice(w.stock_photos)))
    hour = float(np.clip(rng.normal(19, 4), 0, 23.9))
    return {
        "site": str(rng.choice(SITES)),
        "title": fill_slots(net.title, slots),
        "text": ". ".join(parts) + ".",
        "phone": "" if rng.random() < mix.no_phone_column else column_format(number, rng),
        "image_hashes": (";" if rng.random() < 0.7 else ",").join(f"{h:016x}" for h in hashes),
        "day": day,
        "hour": hour,
        "district_code": town.district,
        "town": town.name,
        "easting": town.easting + rng.normal(0, 700),
        "northing": town.northing + rng.normal(0, 700),
        "network": net.ident,
    }


def synthetic_week(
    n_adverts: int, seed: int, mix: Mix | None = None, week_start: dt.date = DEFAULT_WEEK
) -> SyntheticWeek:
    """A labelled week of about ``n_adverts`` adverts (exactly that many)."""
    w = _Writer(seed, mix or Mix(), n_adverts)
    sizes, indep = w.sizes(n_adverts)
    rows: list[dict[str, object]] = []
    moves: list[dict[str, object]] = []
    for ident, size in enumerate([*sizes, *indep]):
        net = w.network(ident, size, independent=ident >= len(sizes))
        for day in _days(w.rng, net):
            rows.append(_advert(w, net, day))
        for (_, a), (day, b) in zip(net.stops, net.stops[1:], strict=False):
            moves.append(
                {
                    "network": ident,
                    "from": TOWNS[a].district,
                    "to": TOWNS[b].district,
                    "day": week_start + dt.timedelta(days=day),
                }
            )
    frame = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    start = pd.Timestamp(week_start, tz=LONDON)
    stamps = start + pd.to_timedelta(frame.pop("day"), unit="D")
    stamps = stamps + pd.to_timedelta(frame.pop("hour"), unit="h")
    frame["observed_at"] = stamps.dt.tz_convert("UTC").dt.floor("min")
    frame["ref"] = [f"SYN-{seed % 1000:03d}-{i + 1:06d}" for i in range(len(frame))]
    network = frame.pop("network").to_numpy(dtype=np.int64)
    move_frame = pd.DataFrame(moves, columns=["network", "from", "to", "day"])
    return SyntheticWeek(frame, network, move_frame, week_start)
