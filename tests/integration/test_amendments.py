"""Issue 12, item 3: an amendment in force changes the terms the checks read. An annex agreement
valid beyond the main agreement's end is a warning; an amendment lengthening the agreement's
validity enters into force, every annex is checked again against the agreement as amended, the
flag turns ok, is marked changed, and the annex's lawyers are mailed."""

import re

from sqlalchemy import select

from portal.annexes import services as annexes
from portal.appctx import document_context
from portal.auth.domain import Role
from portal.authority.services import signer_passphrase
from portal.documents import services as documents
from portal.jobs import services as jobs
from portal.mail.models import OutboxMail
from tests.factories import AGREEMENT_TEXT
from tests.integration.test_terminations import in_force  # noqa: F401 (a fixture)

MAIN = AGREEMENT_TEXT + "\nSopimus on voimassa 31.12.2027 asti."
ANNEX = (
    AGREEMENT_TEXT.replace("YHTEISTYÖSOPIMUS", "LIITESOPIMUS yhteistyösopimuksen liitteenä")
    + "\nTämä liitesopimus toteuttaa yhteistyösopimuksen tavoitetta 1."
    + "\nLiitesopimus on voimassa 31.12.2029 asti."
)
AMENDMENT = (
    "MUUTOS yhteistyösopimukseen\nYhteistyösopimuksen voimassaoloa jatketaan."
    "\nSopimus on voimassa 31.12.2030 asti."
)


def validity(session, document):
    session.expire_all()
    flags = annexes.current_flags(session, document.latest_version)
    return [(f.severity, f.message_id, f.changed) for f in flags if f.code == "validity"]


def run_jobs(factory):
    while jobs.run_due(factory.session, factory.app.config).done:
        pass


def sign_into_force(factory, amendment, reps, admin):
    """Open an amendment that needs no approvals and have every party sign it."""
    ctx = document_context()
    amendment.requires_approval = False
    documents.open_for_signature(factory.session, ctx, amendment, admin, title=amendment.title, language="fi")
    factory.session.commit()
    for rep in reps:
        passphrase = signer_passphrase(ctx.key_encryption_key, rep, "pw")
        documents.sign(factory.session, ctx, amendment.id, rep, passphrase, "Tampere")
        factory.session.commit()
    assert str(amendment.status) == "in_force"


def test_an_amendment_in_force_rechecks_the_annexes_and_tells_their_lawyers(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2, text=MAIN)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, ANNEX)
    assert validity(factory.session, annex)[0][:2] == (
        "warning",
        "The document is valid until %(until)s, beyond the end of the main agreement (%(main_until)s).",
    )
    amendment = factory.annex(agreement, lawyer, AMENDMENT, kind="amendment", parties=(), title="Muutos 1")
    sign_into_force(factory, amendment, reps, admin)  # (the gate's own checks are test_annexes')
    run_jobs(factory)
    assert validity(factory.session, annex) == [
        ("ok", "Validity and notice period do not contradict the main agreement.", True)
    ]
    mails = factory.session.scalars(select(OutboxMail).where(OutboxMail.kind == "flags_changed")).all()
    assert [m.recipient for m in mails] == [lawyer.email]
    assert "Muutos" not in mails[0].subject and "Liitesopimus" in mails[0].subject
    assert "OK" in mails[0].body_text or "Kunnossa" in mails[0].body_text
    # the agreement page shows the consolidated state: the amendment, from when, the new end
    web = app.test_client()
    web.post("/login", data={"username": lawyer.username, "password": "pw"})
    page = web.get(f"/agreements/{agreement.id}").text
    assert 'class="amendments-in-force"' in page and "Muutos 1" in page
    assert re.search(r'class="valid-until">[^<]*2030', page)


ARBITRATED_ANNEX = (
    AGREEMENT_TEXT.replace("YHTEISTYÖSOPIMUS", "LIITESOPIMUS yhteistyösopimuksen liitteenä")
    + "\nTämä liitesopimus toteuttaa yhteistyösopimuksen tavoitetta 2."
    + "\nSopimuksesta johtuvat erimielisyydet ratkaistaan välimiesmenettelyssä."
)
FORUM_AND_GOALS = (
    "MUUTOS yhteistyösopimukseen\nSopimuksesta johtuvat erimielisyydet ratkaistaan välimiesmenettelyssä."
    "\nTavoite 2: Ikääntyneiden kotona asuminen"
)


def flags_of(session, document, *codes):
    session.expire_all()
    flags = annexes.current_flags(session, document.latest_version)
    return sorted((f.code, f.severity, f.changed) for f in flags if f.code in codes)


def test_an_amendment_changes_the_dispute_forum_and_the_goals(app, factory, in_force):  # noqa: F811
    agreement, orgs, reps, admin = in_force(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, ARBITRATED_ANNEX, goals=(2,))
    # arbitration departs from the main agreement's courts; goal 2 is not one of its goals
    assert flags_of(factory.session, annex, "disputes", "goals") == [
        ("disputes", "warning", False),
        ("goals", "warning", False),
    ]
    amendment = factory.annex(
        agreement, lawyer, FORUM_AND_GOALS, kind="amendment", parties=(), goals=(), title="Muutos 2"
    )
    sign_into_force(factory, amendment, reps, admin)
    run_jobs(factory)
    assert flags_of(factory.session, annex, "disputes", "goals") == [
        ("disputes", "ok", True),
        ("goals", "ok", True),
    ]
    mails = factory.session.scalars(select(OutboxMail).where(OutboxMail.kind == "flags_changed")).all()
    assert [m.recipient for m in mails] == [lawyer.email]
    # the consolidated state: the terms as amended, and what the amendment changed
    web = app.test_client()
    web.post("/login", data={"username": reps[1].username, "password": "pw"})
    page = web.get(f"/agreements/{agreement.id}").text
    section = page[page.index('id="consolidated"') :]
    assert re.search(r'class="dispute-forum">Välimiesmenettely<', section)
    assert '<li value="2">Ikääntyneiden kotona asuminen</li>' in section
    changes = section[section.index(f'id="amended-{amendment.id}"') :]
    assert "Uusi tavoite 2: Ikääntyneiden kotona asuminen" in changes
    assert "Erimielisyydet: Neuvottelu" in changes


SIX_MONTHS_ANNEX = (
    AGREEMENT_TEXT.replace("YHTEISTYÖSOPIMUS", "LIITESOPIMUS yhteistyösopimuksen liitteenä").replace(
        "irtisanomisaika on 12 kuukautta", "irtisanomisaika on 6 kuukautta"
    )
    + "\nTämä liitesopimus toteuttaa yhteistyösopimuksen tavoitetta 1."
)
NOTICE_AMENDMENT = "MUUTOS yhteistyösopimukseen\nSopimuksen irtisanomisaika on 6 kuukautta."


def test_an_amendment_of_the_notice_period_turns_the_validity_flag(app, factory, in_force):  # noqa: F811
    """R5: an annex agreement whose notice period is shorter than the main agreement's is a
    warning (a party could leave the annex before it may leave the agreement). An amendment that
    sets the main agreement's notice period to the annex's turns it ok and tells the lawyers. (The
    issue speaks of lengthening; under this rule it is the annex's notice that must not be the
    shorter one, so the main agreement's is what the amendment changes.)"""
    agreement, orgs, reps, admin = in_force(parties=2)
    lawyer = factory.user(orgs[0], Role.lawyer)
    factory.session.commit()
    annex = factory.annex(agreement, lawyer, SIX_MONTHS_ANNEX)
    assert validity(factory.session, annex)[0][:2] == (
        "warning",
        "The notice period of %(months)s months is shorter than the main agreement's %(main_months)s months.",
    )
    amendment = factory.annex(
        agreement, lawyer, NOTICE_AMENDMENT, kind="amendment", parties=(), title="Muutos 2"
    )
    sign_into_force(factory, amendment, reps, admin)
    run_jobs(factory)
    assert validity(factory.session, annex) == [
        ("ok", "Validity and notice period do not contradict the main agreement.", True)
    ]
    mails = factory.session.scalars(select(OutboxMail).where(OutboxMail.kind == "flags_changed")).all()
    assert [m.recipient for m in mails] == [lawyer.email]
