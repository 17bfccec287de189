"""certificate serials and revocation reasons: what the CA's CRL and OCSP answers need

Revision ID: 7b3e9a1c2d55
Revises: 34d57dd8f8c1
Create Date: 2026-12-02 04:10:00

"""
from alembic import op
import sqlalchemy as sa
from cryptography import x509


revision = '7b3e9a1c2d55'
down_revision = '34d57dd8f8c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signing_credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_serial', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('revocation_reason', sa.String(length=40), nullable=True))
    credentials = sa.table('signing_credential', sa.column('id', sa.Integer),
                           sa.column('certificate_pem', sa.Text),
                           sa.column('certificate_serial', sa.String))
    conn = op.get_bind()
    for row_id, pem in conn.execute(sa.select(credentials.c.id, credentials.c.certificate_pem)).all():
        serial = format(x509.load_pem_x509_certificate(pem.encode()).serial_number, "x")
        conn.execute(credentials.update().where(credentials.c.id == row_id)
                     .values(certificate_serial=serial))
    with op.batch_alter_table('signing_credential', schema=None) as batch_op:
        batch_op.alter_column('certificate_serial', existing_type=sa.String(length=40),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_signing_credential_certificate_serial'),
                                          ['certificate_serial'])


def downgrade():
    with op.batch_alter_table('signing_credential', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_signing_credential_certificate_serial'),
                                 type_='unique')
        batch_op.drop_column('revocation_reason')
        batch_op.drop_column('certificate_serial')
