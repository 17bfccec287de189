"""membership: an index on (user_id, agreement_id) in place of the one on user_id, for a
person's memberships in the agreements a request asks about

Revision ID: e4b8a1c6d2f3
Revises: d7a3c9e5b1f4
Create Date: 2026-12-03 20:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4b8a1c6d2f3'
down_revision = 'd7a3c9e5b1f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index('ix_membership_user_agreement', ['user_id', 'agreement_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)
        batch_op.drop_index('ix_membership_user_agreement')
