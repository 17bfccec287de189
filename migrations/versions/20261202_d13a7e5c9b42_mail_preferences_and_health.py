"""mail preferences, notifications done and digested, the worker's heartbeat

Revision ID: d13a7e5c9b42
Revises: c4f1a9e2b7d3
Create Date: 2026-12-02 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd13a7e5c9b42'
down_revision = 'c4f1a9e2b7d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_preference',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('delivery', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mail_preference_user_id_user_account')),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_mail_preference')),
    )
    op.create_table(
        'worker_heartbeat',
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('beat_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_heartbeat')),
    )
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeat_beat_at'), ['beat_at'], unique=False)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('done_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('digest_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_notification_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_digest_pending'), ['digest_pending'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notification_document_id_document'), 'document',
                                    ['document_id'], ['id'])


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_document_id_document'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notification_digest_pending'))
        batch_op.drop_index(batch_op.f('ix_notification_document_id'))
        batch_op.drop_column('digest_pending')
        batch_op.drop_column('done_at')
        batch_op.drop_column('document_id')
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeat_beat_at'))
    op.drop_table('worker_heartbeat')
    op.drop_table('mail_preference')
