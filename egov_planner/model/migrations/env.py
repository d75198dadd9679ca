"""Alembic environment: always driven by egov_planner.model.store with an open connection.

The store has already begun one transaction (foreign keys off while tables are
rebuilt); every revision runs inside it, so an upgrade lands whole or not at all.
"""

from alembic import context

from egov_planner.model.entities import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("plan migrations run through egov_planner.model.store, not the alembic CLI")

on_revision = context.config.attributes.get("on_revision")


def _after_each_revision(*_args: object, **_kwargs: object) -> None:
    """Tell the store a revision was applied (tests kill the process here)."""
    if on_revision is not None:
        on_revision()


context.configure(
    connection=connection,
    on_version_apply=_after_each_revision,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: rebuild tables in batch
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
