"""Hand-made adverts for the linking tests: texts, phones and photos chosen per case."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from layers.networks.adverts import prepare_adverts
from layers.networks.evidence import AdvertInputs

KEY = "test-phone-key"


def _hash(photo: int) -> str:
    return f"{photo:016x}"


@pytest.fixture
def adverts() -> Callable[..., AdvertInputs]:
    """``adverts(rows)`` with rows of (text, phone, photos) -> linker inputs."""

    def build(rows: list[tuple[str, str, list[int]]]) -> AdvertInputs:
        frame = pd.DataFrame(
            {
                "text": [r[0] for r in rows],
                "phone": [r[1] for r in rows],
                "image_hashes": [";".join(_hash(p) for p in r[2]) for r in rows],
            }
        )
        return prepare_adverts(frame, KEY).inputs

    return build


def words(tag: str, n: int = 14) -> str:
    """A run of words no other network uses (a writer's own wording)."""
    return " ".join(f"{tag}{k}" for k in range(n))
