"""memberships: a person's roles, each in one agreement for one party

Every existing user but the portal's administrators gets, for every agreement their
organisation is a party of, a membership with the role they had.

Revision ID: 5d0c4e8a7f21
Revises: c4d1e8f2a7b3
Create Date: 2026-12-02 06:40:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '5d0c4e8a7f21'
down_revision = 'c4d1e8f2a7b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_membership_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_membership_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index('ix_membership_agreement_party', ['agreement_id', 'organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)

    users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('role', sa.String),
                     sa.column('organisation_id', sa.Integer))
    parties = sa.table('agreement_party', sa.column('agreement_id', sa.Integer),
                       sa.column('organisation_id', sa.Integer))
    membership = sa.table('membership', sa.column('user_id', sa.Integer),
                          sa.column('agreement_id', sa.Integer),
                          sa.column('organisation_id', sa.Integer), sa.column('role', sa.String),
                          sa.column('created_at', sa.DateTime))
    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = conn.execute(sa.select(users.c.id, parties.c.agreement_id, users.c.organisation_id,
                                  users.c.role)
                        .join(parties, parties.c.organisation_id == users.c.organisation_id)
                        .where(users.c.role != 'administrator')
                        .order_by(users.c.id, parties.c.agreement_id)).all()
    if rows:
        op.bulk_insert(membership, [{'user_id': u, 'agreement_id': a, 'organisation_id': o,
                                     'role': r, 'created_at': now} for u, a, o, r in rows])


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))
        batch_op.drop_index('ix_membership_agreement_party')
    op.drop_table('membership')
