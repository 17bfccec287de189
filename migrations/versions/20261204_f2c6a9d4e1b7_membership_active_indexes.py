"""membership: partial indexes of the active memberships (every query by person asks for those):
on (user_id, role), the roles a person holds anywhere, and on (user_id, agreement_id) in place of
the full one, the agreements of a person's list: both read from the index alone

Revision ID: f2c6a9d4e1b7
Revises: e4b8a1c6d2f3
Create Date: 2026-12-04 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2c6a9d4e1b7'
down_revision = 'e4b8a1c6d2f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(
            'ix_membership_user_agreement_active',
            ['user_id', 'agreement_id'],
            unique=False,
            postgresql_where=sa.text('ended_at IS NULL'),
            sqlite_where=sa.text('ended_at IS NULL'),
        )
        batch_op.drop_index('ix_membership_user_agreement')
        batch_op.create_index(
            'ix_membership_user_role_active',
            ['user_id', 'role'],
            unique=False,
            postgresql_where=sa.text('ended_at IS NULL'),
            sqlite_where=sa.text('ended_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_user_role_active')
        batch_op.create_index('ix_membership_user_agreement', ['user_id', 'agreement_id'], unique=False)
        batch_op.drop_index('ix_membership_user_agreement_active')
