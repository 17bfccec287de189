"""reminder schedule: each signing round knows when its next reminder falls due

Revision ID: c4d1e8f2a7b3
Revises: 7a3e5c91d2b4
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d1e8f2a7b3'
down_revision = '7a3e5c91d2b4'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rounds start at 0 queued: the first pass recomputes the reminder due from
    # opened_at, and the per-recipient event keys keep a reminder already sent from going twice.
    with op.batch_alter_table('signing_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_queued', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('next_reminder_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signing_round_next_reminder_at'), ['next_reminder_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('signing_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_round_next_reminder_at'))
        batch_op.drop_column('next_reminder_at')
        batch_op.drop_column('reminders_queued')
