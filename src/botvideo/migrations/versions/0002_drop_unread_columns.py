"""drop columns that were written and never read, or never written

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import botvideo.core.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL alters it in place.
    with op.batch_alter_table("bot_videos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bot_videos_batch_id"))
        batch_op.drop_constraint(batch_op.f("uq_bot_videos_share_token"), type_="unique")
        for column in (
            "video_url",
            "thumbnail_url",
            "requested_model",
            "started_at",
            "batch_id",
            "share_token",
            "view_count",
            "download_count",
        ):
            batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("bot_videos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("video_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("thumbnail_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("requested_model", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("started_at", botvideo.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("share_token", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("view_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("download_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_unique_constraint(batch_op.f("uq_bot_videos_share_token"), ["share_token"])
        batch_op.create_index(batch_op.f("ix_bot_videos_batch_id"), ["batch_id"], unique=False)
