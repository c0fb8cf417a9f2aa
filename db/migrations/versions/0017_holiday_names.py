"""holiday: the package's day names in both UI languages

Revision ID: 0017
Revises: 0013
Create Date: 2026-11-30

``desk holidays list`` named the ``holidays`` package's days in the UI language by
importing the package (about 170 ms, more than the rest of the command). Seeding a
year, which imports it anyway, now stores each package day's Vietnamese and English
name. Rows seeded before this revision keep NULL here: importing the package from a
migration would tie the schema's history to its version, so instead the next
seeding pass (any role's start seeds this year and the next) fills the names of
every seeded year once, and a listing meanwhile names such rows from the package as
before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("holiday") as batch:
        batch.add_column(sa.Column("name_vi", sa.String(), nullable=True))
        batch.add_column(sa.Column("name_en", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("holiday") as batch:
        batch.drop_column("name_en")
        batch.drop_column("name_vi")
