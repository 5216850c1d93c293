"""Configuration from the environment, read once per application.

Every setting has one place: :class:`Config`. ``Config.from_env()`` reads ``OPSMAP_*`` and
``DATABASE_URL`` so that gunicorn workers, the CLI and tests all agree on the same values.
Secrets are never defaults in source: when no secret is configured a random one is generated
once and kept in the instance folder (mode 0600), so every worker on the machine shares it.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
RETENTION_MODES = ("statistics", "delete")


def _secret(env: Mapping[str, str], name: str, instance_dir: Path, file_name: str) -> str:
    """Return the secret from ``env[name]`` or from a generated file in the instance folder."""
    value = env.get(name, "").strip()
    if value:
        return value
    path = instance_dir / file_name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    logger.info("generated %s in %s (set %s to manage it yourself)", file_name, instance_dir, name)
    return value


def _names(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    """A comma-separated list of lower-case names (``None`` when unset: the default applies)."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    return tuple(part.strip().lower() for part in raw.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _codes(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    """A comma-separated list of district codes such as E07000124 (``None``: the default)."""
    raw = env.get(name, "").strip()
    return tuple(p.strip().upper() for p in raw.split(",") if p.strip()) if raw else None


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip() or choices[0]
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


@dataclass(frozen=True)
class Config:
    """Settings for one OpsMap deployment (see README, "Configuration")."""

    database_url: str
    instance_dir: Path
    cache_dir: Path
    boundaries_path: Path | None
    boundaries_url: str | None
    secret_key: str = field(repr=False)
    phone_key: str = field(repr=False)
    marking: str = DEFAULT_MARKING
    tiles: str | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    max_upload_mb: int = 200
    map_point_limit: int = 60_000
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    briefing_seconds: int = 20
    briefing_address: str = "street"
    briefing_outstanding: tuple[str, ...] | None = None
    public_k: int = 5
    field_grace_minutes: int = 15
    proxy_fix: bool = False
    records_dir: Path | None = None
    retention_days: int = 365
    retention_mode: str = "statistics"
    login_attempts_days: int = 90
    debug: bool = False
    testing: bool = False
    job_threads: int = 1
    travel_circuity: float = 1.3
    travel_urban_kmh: float = 30.0
    travel_rural_kmh: float = 50.0
    travel_rural_districts: tuple[str, ...] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """Build the configuration from ``env`` (default ``os.environ``) plus overrides."""
        env = os.environ if env is None else env
        instance_dir = Path(env.get("OPSMAP_INSTANCE", str(ROOT / "instance"))).resolve()
        database_url = env.get("DATABASE_URL", "").strip() or (
            f"sqlite:///{instance_dir / 'opsmap.sqlite3'}"
        )
        boundaries = env.get("OPSMAP_BOUNDARIES", "").strip()
        config = cls(
            database_url=database_url,
            instance_dir=instance_dir,
            cache_dir=Path(env.get("OPSMAP_CACHE_DIR", str(instance_dir / "cache"))).resolve(),
            boundaries_path=Path(boundaries).resolve() if boundaries else None,
            boundaries_url=env.get("OPSMAP_BOUNDARIES_URL", "").strip() or None,
            secret_key=_secret(env, "OPSMAP_SECRET_KEY", instance_dir, "secret_key"),
            phone_key=_secret(env, "OPSMAP_PHONE_KEY", instance_dir, "phone_key"),
            marking=env.get("OPSMAP_MARKING", "").strip() or DEFAULT_MARKING,
            tiles=env.get("OPSMAP_TILES", "").strip() or None,
            host=env.get("OPSMAP_HOST", "127.0.0.1"),
            port=_int(env, "OPSMAP_PORT", 8050),
            max_upload_mb=_int(env, "OPSMAP_MAX_UPLOAD_MB", 200),
            map_point_limit=_int(env, "OPSMAP_MAP_POINT_LIMIT", 60_000),
            session_idle_minutes=_int(env, "OPSMAP_SESSION_IDLE_MINUTES", 30),
            session_absolute_hours=_int(env, "OPSMAP_SESSION_ABSOLUTE_HOURS", 12),
            briefing_seconds=_int(env, "OPSMAP_BRIEFING_SECONDS", 20),
            briefing_address=env.get("OPSMAP_BRIEFING_ADDRESS", "").strip() or "street",
            briefing_outstanding=_names(env, "OPSMAP_BRIEFING_OUTSTANDING"),
            public_k=_int(env, "OPSMAP_PUBLIC_K", 5),
            field_grace_minutes=_int(env, "OPSMAP_FIELD_GRACE_MINUTES", 15),
            proxy_fix=env.get("OPSMAP_PROXY_FIX", "") == "1",
            records_dir=Path(
                env.get("OPSMAP_RECORDS_DIR", "").strip() or instance_dir / "records"
            ).resolve(),
            retention_days=_int(env, "OPSMAP_RETENTION_DAYS", 365),
            retention_mode=_choice(env, "OPSMAP_RETENTION_MODE", RETENTION_MODES),
            login_attempts_days=_int(env, "OPSMAP_LOGIN_ATTEMPTS_DAYS", 90),
            debug=env.get("OPSMAP_DEBUG", "") == "1",
            job_threads=_int(env, "OPSMAP_JOB_THREADS", 1),
            travel_circuity=_float(env, "OPSMAP_TRAVEL_CIRCUITY", 1.3),
            travel_urban_kmh=_float(env, "OPSMAP_TRAVEL_URBAN_KMH", 30.0),
            travel_rural_kmh=_float(env, "OPSMAP_TRAVEL_RURAL_KMH", 50.0),
            travel_rural_districts=_codes(env, "OPSMAP_TRAVEL_RURAL_DISTRICTS"),
        )
        return replace(config, **overrides) if overrides else config
