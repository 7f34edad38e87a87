"""A team on one database: who played each session and ran each drill, the habit scores
as columns (the team view reads no JSON), an id that makes uploads idempotent, and
assignments.

Sessions saved before this migration are given to the user who upgrades (a history file
was one rep's), and their habit scores are copied out of their stored scorecards.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HABITS = ("hold_price", "trade", "open_questions", "coaching")


def upgrade() -> None:
    user = context.config.attributes.get("user") or ""
    op.add_column("sessions", sa.Column("uid", sa.Text))
    op.add_column("sessions", sa.Column("user_name", sa.Text, nullable=False,
                                        server_default=""))
    for h in HABITS:
        op.add_column("sessions", sa.Column(h, sa.Float))
    op.add_column("drills", sa.Column("user_name", sa.Text, nullable=False, server_default=""))
    op.create_index("sessions_uid", "sessions", ["uid"], unique=True)
    op.create_index("sessions_user", "sessions", ["user_name", "started"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("pass_mark", sa.Float, nullable=False),
        sa.Column("assigned_by", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_index("assignments_user", "assignments", ["user_name"])

    bind = op.get_bind()
    sessions = sa.table("sessions", sa.column("id"), sa.column("scorecard"),
                        sa.column("user_name"), *[sa.column(h) for h in HABITS])
    bind.execute(sessions.update().values(user_name=user))
    rows = bind.execute(sa.select(sessions.c.id, sessions.c.scorecard)).all()
    for sid, card in rows:
        try:
            habits = (json.loads(card) or {}).get("habits") or {} if card else {}
        except ValueError:
            continue
        values = {h: (habits.get(h) or {}).get("score") for h in HABITS}
        if any(v is not None for v in values.values()):
            bind.execute(sessions.update().where(sessions.c.id == sid).values(**values))
