"""The history schema as Shadowbox 0.1 wrote it, before migrations were recorded.

A history file from then already has some of these tables (the drill tables appear only
once a drill was saved): each table and index is created only where it is missing, so the
file upgrades in place and nothing in it is touched.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())

    def table(name: str, *cols) -> bool:
        if name in have:
            return False
        op.create_table(name, *cols)
        return True

    if table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("persona", sa.Text, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="in_progress"),
        sa.Column("won", sa.Integer, nullable=False, server_default="0"),
        sa.Column("label", sa.Text, nullable=False, server_default=""),
        sa.Column("price", sa.Float),
        sa.Column("overall", sa.Float),
        sa.Column("rep_turns", sa.Integer, nullable=False, server_default="0"),
        sa.Column("scorecard", sa.Text),
    ):
        op.create_index("sessions_started", "sessions", ["started"])
    table(
        "turns",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    if table(
        "drills",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("timer", sa.Float),
        sa.Column("rounds", sa.Integer, nullable=False),
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("csv", sa.Text, nullable=False),
    ):
        op.create_index("drills_started", "drills", ["started_at"])
    habits = ("hold_price", "trade", "open_questions", "coaching")
    if table(
        "drill_participants",
        sa.Column("drill_id", sa.Text, sa.ForeignKey("drills.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("rank", sa.Integer),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("overall", sa.Float),
        *[sa.Column(h, sa.Float) for h in habits],
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("focus", sa.Text),
    ):
        op.create_index("drill_participants_name", "drill_participants", ["name"])
    table(
        "drill_answers",
        sa.Column("drill_id", sa.Text, sa.ForeignKey("drills.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("moment", sa.Text, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.Column("participant", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("overall", sa.Float),
        *[sa.Column(h, sa.Float) for h in habits],
        sa.Column("advice", sa.Text, nullable=False),
        sa.Column("seconds", sa.Float),
        sa.Column("at", sa.Text, nullable=False),
    )
