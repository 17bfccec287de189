"""annex adoption: how an annex is added or updated after entry into force (per agreement), and
each annex version uploaded after it, pending until adopted

Revision ID: d7a3c9e5b1f4
Revises: d13a7e5c9b42
Create Date: 2026-12-02 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a3c9e5b1f4'
down_revision = 'd13a7e5c9b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('annex_procedure', sa.String(length=20), server_default='steering_group', nullable=False)
        )
    op.create_table(
        'annex_adoption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('procedure', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('decision', sa.Text(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_annex_adoption_agreement_id_agreement')),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_annex_adoption_document_id_document')),
        sa.ForeignKeyConstraint(['meeting_id'], ['steering_meeting.id'], name=op.f('fk_annex_adoption_meeting_id_steering_meeting')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_annex_adoption_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_annex_adoption_recorded_by_id_user_account')),
        sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], name=op.f('fk_annex_adoption_version_id_document_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_annex_adoption')),
        sa.UniqueConstraint('version_id', name=op.f('uq_annex_adoption_version_id')),
    )
    with op.batch_alter_table('annex_adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annex_adoption_document_id'), ['document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('annex_adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annex_adoption_document_id'))
    op.drop_table('annex_adoption')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_column('annex_procedure')
