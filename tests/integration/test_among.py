"""portal.dbtypes.among: `column IN (ids)` with the ids one parameter, on both backends: an
array on PostgreSQL, an expanding IN elsewhere; the same statement run again with other ids
(SQLAlchemy's statement cache) and with none."""

from sqlalchemy import select

from portal.dbtypes import among
from portal.organisations.models import Organisation


def test_among_picks_the_rows_of_the_ids_given_each_time(db, factory):
    ids = [factory.org().id for _ in range(4)]
    statement = select(Organisation.id).where(among(Organisation.id, "ids")).order_by(Organisation.id)
    session = db.session

    assert list(session.scalars(statement, {"ids": ids[:2]})) == ids[:2]
    assert list(session.scalars(statement, {"ids": [ids[3], ids[1], 0]})) == [ids[1], ids[3]]
    assert list(session.scalars(statement, {"ids": []})) == []
    assert list(session.scalars(statement, {"ids": ids})) == ids


def test_among_binds_one_array_on_postgresql_and_expands_elsewhere(db):
    statement = select(Organisation.id).where(among(Organisation.id, "ids"))
    sql = str(statement.compile(dialect=db.engine.dialect))

    if db.engine.dialect.name == "postgresql":
        assert "= ANY (%(ids)s::INTEGER[])" in sql
    else:
        assert "IN (__[POSTCOMPILE_ids])" in sql
