"""audit seals: the audit chain's head sealed and timestamped by the portal; whether a
version was prepared from its PDF/A-2b conversion

Revision ID: c4f1a9e2b7d3
Revises: c4d2e8a1f7b3
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a9e2b7d3'
down_revision = 'c4d2e8a1f7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_seal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('sealed_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=30), nullable=False),
        sa.Column('statement', sa.Text(), nullable=False),
        sa.Column('seal', sa.Text(), nullable=False),
        sa.Column('timestamped_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_seal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_seal_seq'), ['seq'], unique=False)
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdfa', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('pdfa_note', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_column('pdfa_note')
        batch_op.drop_column('pdfa')
    with op.batch_alter_table('audit_seal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_seal_seq'))
    op.drop_table('audit_seal')
