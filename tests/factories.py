"""Factory helpers: build organisations, users and agreements through the real services."""

from itertools import count

from sqlalchemy import delete, func, select

from portal.agreements.models import Agreement, AgreementParty
from portal.agreements.services import create_agreement
from portal.appctx import document_context
from portal.auth.domain import SIGN_TOKEN_LIFETIME, Role, Scope
from portal.auth.models import User
from portal.auth.services import SignBinding, create_token, hash_password
from portal.authority.services import sign_key_wrapper
from portal.demo.pdf import text_to_pdf
from portal.documents import services as documents
from portal.documents.models import Document, DocumentParty
from portal.mail.models import OutboxMail
from portal.notifications.models import Notification
from portal.organisations.domain import OrganisationKind, business_id_check_digit
from portal.organisations.models import Organisation
from portal.timeutil import utcnow

_numbers = count(2000000)
_PASSWORD_HASH = hash_password("pw")

AGREEMENT_TEXT = """YHTEISTYÖSOPIMUS
1. Osapuolet
Tämän sopimuksen osapuolet ovat hyvinvointialue ja kunnat.
2. Voimaantulo
Sopimus tulee voimaan, kun osapuolet ovat sen hyväksyneet ja allekirjoittaneet.
Sopimuksen irtisanomisaika on 12 kuukautta."""


def sign_in(client, user, password: str = "pw"):
    """Sign a user (or a username) in on a test client, the way every test does; the client."""
    username = getattr(user, "username", user)
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.text
    return client


def bearer(app, session, user, *scopes) -> dict:
    """The Authorization header of a new personal access token (read if no scope is named)."""
    scopes = set(scopes) or {Scope.read}
    wrap = binding = None
    if Scope.sign in scopes:
        wrap = sign_key_wrapper(session, app.config["PORTAL_KEY_ENCRYPTION_KEY"], user, "pw", utcnow())
        binding = sign_binding(session, user)
    _row, raw = create_token(session, user, "test", scopes, wrap, binding)
    session.commit()
    return {"Authorization": f"Bearer {raw}"}


def sign_binding(session, user) -> SignBinding:
    """Every document of the latest agreement the user's party is a party to (as the demo's
    tokens are bound), for 15 minutes; test_sign_tokens.py tests tokens named for documents."""
    agreement_id = (
        session.scalar(
            select(func.max(Document.agreement_id))
            .join(DocumentParty)
            .where(DocumentParty.organisation_id == user.organisation_id)
        )
        or 0
    )
    return SignBinding(agreement_id, frozenset(), utcnow() + SIGN_TOKEN_LIFETIME)


def steering_group_met(session, agreement, organisations, admin, meets_on, place: str = "Tampere"):
    """A steering group of one member per party (the first the chair) that met on `meets_on`
    with everyone present: what a unanimous decision (joining, an annex) needs."""
    from portal.appctx import links
    from portal.steering import services as steering
    from portal.steering.models import Office

    members = [
        steering.add_member(
            session,
            agreement,
            admin,
            organisation_id=org.id,
            name=f"Jäsen {i}",
            email=f"j{i}@example.invalid",
            office=Office.chair if i == 0 else Office.none,
        )
        for i, org in enumerate(organisations)
    ]
    meeting = steering.create_meeting(session, links(), agreement, admin, meets_on=meets_on, place=place)
    steering.record_attendance(session, agreement, meeting, admin, {m.id for m in members})
    return members, meeting


def sample_pdf(text: str = AGREEMENT_TEXT, repeat: int = 1) -> bytes:
    return text_to_pdf(text, title="Yhteistyösopimus", repeat=repeat)


def next_business_id() -> str:
    while True:
        digits = f"{next(_numbers):07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            return f"{digits}-{check}"


class Factory:
    def __init__(self, session, app):
        self.session = session
        self.app = app

    def org(self, name: str | None = None, kind=OrganisationKind.municipality) -> Organisation:
        business_id = next_business_id()
        org = Organisation(
            name=name or f"Kunta {business_id}",
            kind=kind,
            business_id=business_id,
            street_address="Katu 1",
            postal_code="33100",
            city="Tampere",
        )
        self.session.add(org)
        self.session.flush()
        return org

    def user(
        self,
        org: Organisation,
        role: Role = Role.representative,
        username: str | None = None,
        locale: str = "fi",
        *,
        member: bool = True,
    ) -> User:
        """A person of `org`. `Role.administrator` makes a portal administrator; any other role
        is given as a membership in every agreement `org` is already a party of (as the
        migration did for the users of before), unless member=False."""
        username = username or f"{role.value}-{org.business_id}-{next(_numbers)}"
        user = User(
            username=username,
            display_name=f"{role.value.title()} {org.name}",
            email=f"{username}@example.invalid",
            password_hash=_PASSWORD_HASH,
            organisation_id=org.id,
            role=role,
            locale=locale,
        )
        self.session.add(user)
        self.session.flush()
        if member and role is not Role.administrator:
            for agreement in self.session.scalars(
                select(Agreement).join(AgreementParty).where(AgreementParty.organisation_id == org.id)
            ):
                self.member(user, agreement, org, role)
        return user

    def member(self, user: User, agreement, org: Organisation | None = None, role: Role | None = None):
        """`user` holds `role` (by default their own) in `agreement` for `org` (by default
        their own organisation)."""
        from portal.memberships.services import add_membership

        return add_membership(self.session, user, agreement, (org or user.organisation).id, role or user.role)

    def agreement(
        self,
        parties: int = 3,
        *,
        opened: bool = True,
        admin: User | None = None,
        pdf: bytes | None = None,
        invitations: bool = False,
    ):
        """An agreement with `parties` organisations, each with a representative; opened for
        signature unless opened=False. The invitations to sign that opening queues are dropped
        (an empty outbox to start from), and the secretary's notices of decisions due with them,
        unless invitations=True.
        Returns (agreement, orgs, representatives, admin)."""
        orgs = [self.org() for _ in range(parties)]
        reps = [self.user(o, Role.representative) for o in orgs]
        admin = admin or self.user(orgs[0], Role.administrator)
        agreement = create_agreement(
            self.session,
            admin,
            title="Yhteistyösopimus",
            business_ids=[o.business_id for o in orgs],
            goals=[("Hyvinvointi", "Hyvinvoinnin edistäminen")],
        )
        self.members_by_organisation(agreement)
        ctx = document_context()
        documents.add_version(
            self.session, ctx, agreement.main_document, pdf or sample_pdf(), "sopimus.pdf", admin
        )
        if opened:
            documents.open_for_signature(
                self.session, ctx, agreement.main_document, admin, title=agreement.title, language="fi"
            )
            if not invitations:
                self.session.execute(
                    delete(OutboxMail).where(
                        OutboxMail.kind == "sign_invitation", OutboxMail.agreement_id == agreement.id
                    )
                )
                self.session.execute(
                    delete(Notification).where(
                        Notification.kind.in_(["sign_invitation", "decision_due"]),
                        Notification.agreement_id == agreement.id,
                    )
                )
        self.session.commit()
        return agreement, orgs, reps, admin

    def members_by_organisation(self, agreement) -> None:
        """The users of the agreement's parties hold their role in it (portal administrators
        need none)."""
        org_ids = [p.organisation_id for p in agreement.parties]
        for user in self.session.scalars(
            select(User).where(User.organisation_id.in_(org_ids), User.role != Role.administrator)
        ):
            self.member(user, agreement)

    def annex(
        self,
        agreement,
        uploader: User,
        text: str = AGREEMENT_TEXT,
        *,
        kind: str = "annex_agreement",
        parties=None,
        goals=(1,),
        title: str = "Liitesopimus",
    ):
        """An annex (annex agreement by default, of the first two parties) uploaded and checked
        in-process. Returns its Document."""
        from portal.annexes import services as annexes
        from portal.documents.models import Document
        from portal.jobs import services as jobs

        if parties is None:
            parties = [p.organisation.business_id for p in agreement.parties[:2]]
        version = annexes.upload(
            self.session,
            document_context(),
            agreement,
            uploader,
            kind=kind,
            title=title,
            data=sample_pdf(text),
            filename="liite.pdf",
            business_ids=list(parties),
            goals=list(goals),
        )
        self.session.commit()
        jobs.run_due(self.session, self.app.config, job_id=self.session.info.pop("queued_jobs")[-1])
        return self.session.get(Document, version.document_id)

    def open_annex(self, document, admin: User):
        from portal.annexes import services as annexes

        annexes.open_document(self.session, document_context(), document, admin)
        self.session.commit()
