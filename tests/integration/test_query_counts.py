"""Issue 14 item 1: a page or an API list issues a fixed number of SQL statements whatever the
number of parties or agreements (an SQLAlchemy before_cursor_execute counter)."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.auth.domain import Role
from portal.extensions import db


@contextmanager
def counted():
    """Counts the statements sent to the database inside the block: `found[0]`."""
    found = [0]

    def count(*_args, **_kwargs):
        found[0] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements(client, path: str, **kwargs) -> int:
    assert client.get(path, **kwargs).status_code == 200  # once to warm what is read once per process
    with counted() as found:
        assert client.get(path, **kwargs).status_code == 200
    return found[0]


ROUTES = [
    ("/", {}),
    ("/?state=signing&q=Yhteis", {}),
    ("/", {"headers": {"HX-Request": "true", "HX-Target": "agreement-list"}}),
    ("/?page=2", {}),
    ("/", {"headers": {"HX-Request": "true", "HX-Target": "waiting"}}),
]


def counts(web, api, headers, agreement_id: int) -> list[int]:
    found = [statements(web, path, **kwargs) for path, kwargs in ROUTES]
    found.append(statements(api, "/api/v1/agreements", headers=headers))
    found.append(statements(api, "/api/v1/agreements?limit=1", headers=headers))
    found.append(statements(api, f"/api/v1/agreements/{agreement_id}/contacts?limit=2", headers=headers))
    for tab in ("", "?tab=documents", "?tab=parties&show=unsigned", "?tab=contacts&q=a", "?tab=history"):
        found.append(statements(web, f"/agreements/{agreement_id}{tab}"))
    main, annex = document_ids(agreement_id)
    fragment = {"headers": {"HX-Request": "true"}}
    found.append(statements(web, f"/documents/{main}/state", **fragment))
    found.append(statements(web, f"/documents/{main}/party-status", **fragment))
    found.append(statements(web, f"/documents/{main}/read"))
    if annex is not None:  # an annex agreement: its page and its parties list
        found.append(statements(web, f"/documents/{annex}"))
        found.append(statements(web, f"/documents/{annex}/parties?show=unapproved"))
    assert min(found) > 0
    return found


def document_ids(agreement_id: int) -> tuple[int, int | None]:
    """The agreement's main document and its first other document (an annex agreement)."""
    from sqlalchemy import select

    from portal.agreements.models import Agreement
    from portal.documents.models import Document

    main = db.session.get(Agreement, agreement_id).main_document_id
    annex = db.session.scalar(
        select(Document.id)
        .where(Document.agreement_id == agreement_id, Document.id != main)
        .order_by(Document.id)
    )
    return main, annex


def test_the_home_page_and_the_lists_cost_the_same_for_3_and_100_parties(app, factory, login, token):
    small, small_orgs, small_reps, admin = factory.agreement(parties=3)
    lawyer = factory.user(small_orgs[0], Role.lawyer)
    big, big_orgs, big_reps, _admin = factory.agreement(parties=100, admin=admin)
    big_lawyer = factory.user(big_orgs[0], Role.lawyer)
    for agreement, who in ((small, lawyer), (big, big_lawyer)):
        factory.annex(agreement, who)
    api = app.test_client()
    per_size = [
        counts(login(person, fresh=True), api, token(person), agreement.id)
        for agreement, person in ((small, small_reps[0]), (big, big_reps[0]))
    ]
    assert per_size[0] == per_size[1]
    per_lawyer = [
        counts(login(person, fresh=True), api, token(person), agreement.id)
        for agreement, person in ((small, lawyer), (big, big_lawyer))
    ]
    assert per_lawyer[0] == per_lawyer[1]


def test_the_secretary_pays_the_same_for_1_and_for_many_agreements(app, factory, login, token):
    first, _orgs, _reps, admin = factory.agreement(parties=3)
    web, api, headers = login(admin), app.test_client(), token(admin)
    one = counts(web, api, headers, first.id)
    for parties in (2, 25, 4, 3, 5):
        factory.agreement(parties=parties, admin=admin)
    factory.agreement(parties=2, admin=admin, opened=False)
    many = counts(web, api, headers, first.id)
    assert one == many
