"""The migration creates exactly the tables the models declare (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from layers.core.models import Base
from layers.services import Services

TABLES = ("public_updates", "public_update_events")


def _ours(diff: object) -> bool:
    text = repr(diff)
    return any(f"'{t}'" in text or f"Table('{t}'" in text for t in TABLES)


def test_pub090_migration_matches_the_models(services: Services) -> None:
    import layers.schema  # noqa: F401  (every table on Base.metadata)

    with services.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _ours(d)]
        heads = context.get_current_heads()
    assert diffs == []
    from alembic.script import ScriptDirectory

    from layers.core.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config(services.db.url))
    applied = {rev.revision for head in heads for rev in script.iterate_revisions(head, "base")}
    assert "0008_public_updates" in applied
