"""the organisations register's kinds, administrators without a party, agreement terms,
signing authorities

Revision ID: 9a1f0c3e5b27
Revises: 9c4f2e7a1b6d
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a1f0c3e5b27'
down_revision = '9c4f2e7a1b6d'
branch_labels = None
depends_on = None

#: the kinds' former values and the register's (the API's) names for them
KINDS = {'wellbeing_county': 'wellbeing_services_county', 'city': 'municipality',
         'joint_authority': 'joint_municipal_authority', 'other': 'other_public_body'}


def upgrade():
    organisation = sa.table('organisation', sa.column('kind', sa.String))
    for old, new in KINDS.items():
        op.execute(organisation.update().where(organisation.c.kind == old).values(kind=new))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_sv', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('notice_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('dispute_forum', sa.String(length=20), nullable=True))
    op.create_table(
        'signing_authority',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('basis', sa.String(length=20), nullable=False),
        sa.Column('section', sa.String(length=40), nullable=False),
        sa.Column('decision_body', sa.String(length=200), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('signing_authority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_authority_agreement_id'), ['agreement_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_signing_authority_organisation_id'),
                              ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signing_authority_user_id'), ['user_id'],
                              unique=False)


def downgrade():
    op.drop_table('signing_authority')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_column('dispute_forum')
        batch_op.drop_column('valid_until')
        batch_op.drop_column('notice_months')
        batch_op.drop_column('title_sv')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
    organisation = sa.table('organisation', sa.column('kind', sa.String))
    for old, new in KINDS.items():
        if old != 'city':  # a city was a municipality's other name: it stays a municipality
            op.execute(organisation.update().where(organisation.c.kind == new).values(kind=old))
