"""signature verdicts: each signature's revision verified as it is made

Revision ID: 7a3e5c91d2b4
Revises: 7b3e9a1c2d55
Create Date: 2026-12-02 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3e5c91d2b4'
down_revision = '7b3e9a1c2d55'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('verdict', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('verdict')
        batch_op.drop_column('verified_at')
