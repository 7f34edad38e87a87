"""A drill is stored as its data only: the `drills` table loses the Markdown and CSV it kept
beside the data. Exports of a stored drill are rendered from its data by the export
registry (`simulator.export`), exactly as a live drill's are.

Downgrading gives the columns back, filled with the drill's exports rendered from its data
(a row whose data is damaged gets empty documents: that data could not be read before
either).

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place (ALTER TABLE ... DROP COLUMN, SQLite 3.35+ and PostgreSQL): copying the table
    # (Alembic's batch mode) would drop `drills`, and with foreign keys on SQLite would
    # cascade that to every drill's participants and answers.
    op.drop_column("drills", "markdown")
    op.drop_column("drills", "csv")


def downgrade() -> None:
    from simulator.export import render

    op.add_column("drills", sa.Column("markdown", sa.Text, nullable=False, server_default=""))
    op.add_column("drills", sa.Column("csv", sa.Text, nullable=False, server_default=""))
    drills = sa.table("drills", sa.column("id"), sa.column("data"), sa.column("markdown"),
                      sa.column("csv"))
    bind = op.get_bind()
    for drill_id, data in bind.execute(sa.select(drills.c.id, drills.c.data)).all():
        try:
            value = json.loads(data)
            docs = {"markdown": render("drill", "md", value), "csv": render("drill", "csv", value)}
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        bind.execute(drills.update().where(drills.c.id == drill_id).values(**docs))
