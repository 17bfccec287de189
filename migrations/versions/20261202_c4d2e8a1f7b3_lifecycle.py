"""the agreement's life after entry into force: decisions tied to a version, corrected and voided

Revision ID: c4d2e8a1f7b3
Revises: 9a1f0c3e5b27
Create Date: 2026-12-02 06:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8a1f7b3'
down_revision = '9a1f0c3e5b27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('approval_decision', schema=None) as batch_op:
        batch_op.drop_constraint('uq_approval_decision_document_id', type_='unique')
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('diary_number', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('decision_type', sa.String(length=20), nullable=False,
                                      server_default='approve'))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_approval_decision_version_id_document_version'),
                                    'document_version', ['version_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_approval_decision_corrects_id_approval_decision'),
                                    'approval_decision', ['corrects_id'], ['id'])
    _tie_existing_approvals_to_versions()
    op.create_table('termination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('notice_months', sa.Integer(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('costs_payable_until', sa.Date(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('notice_sha256', sa.String(length=64), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_termination_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['notice_sha256'], ['blob.sha256'], name=op.f('fk_termination_notice_sha256_blob')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_termination_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_termination_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_termination')),
    sa.UniqueConstraint('agreement_id', 'organisation_id', name=op.f('uq_termination_agreement_id'))
    )
    with op.batch_alter_table('termination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_termination_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('cost_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_cost_table_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_cost_table_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_table')),
    sa.UniqueConstraint('agreement_id', 'year', name=op.f('uq_cost_table_agreement_id'))
    )
    with op.batch_alter_table('cost_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_table_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('cost_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cost_table_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=True),
    sa.Column('joint_authority', sa.Boolean(), nullable=False),
    sa.Column('share', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['cost_table_id'], ['cost_table.id'], name=op.f('fk_cost_share_cost_table_id_cost_table')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_cost_share_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_share')),
    sa.UniqueConstraint('cost_table_id', 'organisation_id', name=op.f('uq_cost_share_cost_table_id'))
    )
    with op.batch_alter_table('cost_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_share_cost_table_id'), ['cost_table_id'], unique=False)

    op.create_table('steering_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('seat', sa.String(length=10), nullable=False),
    sa.Column('office', sa.String(length=12), nullable=False),
    sa.Column('deputy_of_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_steering_member_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['deputy_of_id'], ['steering_member.id'], name=op.f('fk_steering_member_deputy_of_id_steering_member')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_steering_member_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_member'))
    )
    with op.batch_alter_table('steering_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_member_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('steering_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('invitation_due_on', sa.Date(), nullable=False),
    sa.Column('agenda_due_on', sa.Date(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.Column('minutes_sha256', sa.String(length=64), nullable=True),
    sa.Column('quorate', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_steering_meeting_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_steering_meeting_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['minutes_sha256'], ['blob.sha256'], name=op.f('fk_steering_meeting_minutes_sha256_blob')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_meeting'))
    )
    with op.batch_alter_table('steering_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_meeting_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('steering_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['steering_meeting.id'], name=op.f('fk_steering_attendance_meeting_id_steering_meeting')),
    sa.ForeignKeyConstraint(['member_id'], ['steering_member.id'], name=op.f('fk_steering_attendance_member_id_steering_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_attendance')),
    sa.UniqueConstraint('meeting_id', 'member_id', name=op.f('uq_steering_attendance_meeting_id'))
    )
    with op.batch_alter_table('steering_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('accession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('in_favour', sa.JSON(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_accession_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_accession_document_id_document')),
    sa.ForeignKeyConstraint(['meeting_id'], ['steering_meeting.id'], name=op.f('fk_accession_meeting_id_steering_meeting')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_accession_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_accession_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accession'))
    )
    with op.batch_alter_table('accession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accession_agreement_id'), ['agreement_id'], unique=False)
    with op.batch_alter_table('approval_decision', schema=None) as batch_op:
        batch_op.alter_column('diary_number', server_default=None)
        batch_op.alter_column('decision_type', server_default=None)
        batch_op.alter_column('correction_reason', server_default=None)


def _tie_existing_approvals_to_versions():
    """Each existing approval belongs to the version that was current when it was recorded (the
    last one uploaded before it, else the first); one on a version that a later upload replaced
    is voided as of that upload, as the portal now does."""
    approvals = sa.table('approval_decision', sa.column('id', sa.Integer),
                         sa.column('document_id', sa.Integer), sa.column('recorded_at', sa.DateTime),
                         sa.column('version_id', sa.Integer), sa.column('voided_at', sa.DateTime))
    versions = sa.table('document_version', sa.column('id', sa.Integer),
                        sa.column('document_id', sa.Integer), sa.column('number', sa.Integer),
                        sa.column('uploaded_at', sa.DateTime))
    conn = op.get_bind()
    by_document = {}
    for row in conn.execute(sa.select(versions.c.id, versions.c.document_id, versions.c.uploaded_at)
                            .order_by(versions.c.document_id, versions.c.number)):
        by_document.setdefault(row.document_id, []).append(row)
    for approval in conn.execute(sa.select(approvals.c.id, approvals.c.document_id,
                                           approvals.c.recorded_at)).all():
        history = by_document.get(approval.document_id, [])
        if not history:
            continue
        earlier = [v for v in history if v.uploaded_at <= approval.recorded_at] or history[:1]
        tied = earlier[-1]
        later = [v for v in history if v.uploaded_at > tied.uploaded_at and v.id != tied.id]
        conn.execute(approvals.update().where(approvals.c.id == approval.id).values(
            version_id=tied.id, voided_at=later[0].uploaded_at if later else None))


def downgrade():
    with op.batch_alter_table('accession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accession_agreement_id'))
    op.drop_table('accession')
    for table in ('steering_attendance', 'steering_meeting', 'steering_member'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_' + ('meeting_id' if table == 'steering_attendance' else 'agreement_id')))
        op.drop_table(table)
    with op.batch_alter_table('cost_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_share_cost_table_id'))
    op.drop_table('cost_share')
    with op.batch_alter_table('cost_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_table_agreement_id'))
    op.drop_table('cost_table')
    with op.batch_alter_table('termination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_termination_agreement_id'))
    op.drop_table('termination')
    with op.batch_alter_table('approval_decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_approval_decision_corrects_id_approval_decision'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_approval_decision_version_id_document_version'),
                                 type_='foreignkey')
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('corrects_id')
        batch_op.drop_column('superseded_at')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('decision_type')
        batch_op.drop_column('diary_number')
        batch_op.drop_column('version_id')
        batch_op.create_unique_constraint('uq_approval_decision_document_id',
                                          ['document_id', 'organisation_id'])
