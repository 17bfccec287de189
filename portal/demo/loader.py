"""Load the demo agreement idempotently: organisations, users, the agreement, its PDF, opened."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.agreements.services import create_agreement
from portal.auth.domain import DEMO_SIGN_TOKEN_LIFETIME, Role, Scope
from portal.auth.models import ApiToken, User
from portal.auth.services import SignBinding, create_token, hash_password
from portal.authority.services import sign_key_wrapper
from portal.contacts.services import add_contact, contacts_of
from portal.demo.data import GOALS, PARTIES, TITLE, synthetic_business_ids
from portal.demo.pdf import text_to_pdf
from portal.documents import services as documents
from portal.documents.models import Document
from portal.memberships import services as memberships
from portal.organisations import services as organisations
from portal.organisations.domain import OrganisationKind, OrganisationRow
from portal.organisations.models import Organisation
from portal.people import services as people
from portal.timeutil import utcnow

TEXT = Path(__file__).with_name("pirkanmaa.txt")
ANNEX_TEXT = Path(__file__).with_name("liitesopimus.txt")
ANNEX_TITLE = "Liitesopimus hyvinvoinnin ja liikunnan yhdyspintapalveluista"
ANNEX_PARTIES = ("tampere", "nokia", "pirha")
ROLE_SUFFIX = {Role.representative: "edustaja", Role.lawyer: "lakimies", Role.contact_person: "yhteyshenkilo"}
ROLE_PERSON = {Role.representative: "Edustaja", Role.lawyer: "Lakimies", Role.contact_person: "Yhteyshenkilö"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    party: str
    business_id: str
    token: str | None = None


def _organisations(session: Session, actor: User) -> list[Organisation]:
    """The demo's parties, registered as an administrator registers them (the register's
    service: business ID check digit, kinds, the audit trail)."""
    result = []
    for (_slug, name, name_sv, kind, city), business_id in zip(
        PARTIES, synthetic_business_ids(len(PARTIES)), strict=True
    ):
        org = organisations.by_business_id(session, business_id)
        if org is None:
            org = organisations.create_organisation(
                session,
                actor,
                OrganisationRow(
                    business_id=business_id,
                    name=name,
                    name_sv=name_sv,
                    kind=OrganisationKind(kind),
                    street_address="Kunnantalontie 1",
                    postal_code="33100",
                    city=city,
                ),
            )
        result.append(org)
    return result


def _user(
    session: Session,
    username: str,
    display_name: str,
    org: Organisation | None,
    role: Role,
    password_hash: str,
) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = people.create_person(
            session,
            username=username,
            display_name=display_name,
            email=f"{username}@demo.sopu.invalid",
            organisation=org,
            password_hash=password_hash,
            locale="fi",
            administrator=role is Role.administrator,
        )
    user.password_hash = password_hash
    return user


def load_demo(
    session: Session,
    ctx: documents.Context,
    password: str,
    with_tokens: bool = False,
    with_annex: bool = False,
) -> list[DemoLogin]:
    password_hash = hash_password(password)
    admin = _user(
        session, "sihteeri", "Sopimussihteeri", None, Role.administrator, password_hash
    )  # first: the register's service records who registered
    orgs = _organisations(session, admin)
    admin.organisation_id = admin.organisation_id or orgs[-1].id  # the regional council's
    users: list[tuple[User, Organisation, Role]] = [(admin, orgs[-1], Role.administrator)]
    for (slug, *_rest), org in zip(PARTIES, orgs, strict=True):
        for role, suffix in ROLE_SUFFIX.items():
            users.append(
                (
                    _user(
                        session,
                        f"{slug}-{suffix}",
                        f"{ROLE_PERSON[role]} ({org.name})",
                        org,
                        role,
                        password_hash,
                    ),
                    org,
                    role,
                )
            )
    session.flush()
    agreement = session.scalar(select(Agreement).where(Agreement.title == TITLE))
    if agreement is None:
        agreement = create_agreement(
            session, admin, title=TITLE, business_ids=[o.business_id for o in orgs], goals=GOALS
        )
    for user, org, role in users[1:]:
        memberships.add_membership(session, user, agreement, org.id, role, actor_id=admin.id)
    document = agreement.main_document
    assert document is not None, "create_agreement made it"
    if document.latest_version is None:
        pdf = text_to_pdf(TEXT.read_text(encoding="utf-8"), title=TITLE)
        documents.add_version(session, ctx, document, pdf, "pirkanmaan-puitesopimus.pdf", admin)
    if document.status is Status.draft:
        documents.open_for_signature(session, ctx, document, admin, title=TITLE, language="fi")
    _contacts(session, agreement, [(u, org) for u, org, role in users if role is Role.contact_person])
    if with_annex:
        _annex(
            session,
            ctx,
            agreement,
            {u.username: u for u, _org, _role in users},
            {slug: org for (slug, *_rest), org in zip(PARTIES, orgs, strict=True)},
        )
    return [
        _login(session, ctx.key_encryption_key, user, org, role, with_tokens, password, agreement.id)
        for user, org, role in users
    ]


def _annex(session: Session, ctx: documents.Context, agreement: Agreement, users: dict, orgs: dict) -> None:
    """An annex agreement of Tampere, Nokia and the wellbeing services county, uploaded by
    Tampere's lawyer and queued for its check (its cost sharing is a warning to acknowledge)."""
    from portal.annexes import services as annexes

    if session.scalar(select(Document.id).where(Document.title == ANNEX_TITLE)) is None:
        annexes.upload(
            session,
            ctx,
            agreement,
            users["tampere-lakimies"],
            kind="annex_agreement",
            title=ANNEX_TITLE,
            data=text_to_pdf(ANNEX_TEXT.read_text(encoding="utf-8"), title=ANNEX_TITLE),
            filename="liitesopimus-liikunta.pdf",
            business_ids=[orgs[slug].business_id for slug in ANNEX_PARTIES],
            goals=[1],
        )


def _contacts(session: Session, agreement: Agreement, contact_users: list[tuple[User, Organisation]]) -> None:
    """Each party's contact person (for the party of their membership), named for the demo
    agreement once."""
    named = {c.user_id for c in contacts_of(session, agreement.id)}
    for user, org in contact_users:
        if user.id not in named:
            add_contact(
                session,
                agreement.id,
                org.id,
                name=user.display_name,
                email=user.email,
                title="Yhteyshenkilö",
                phone="+358 40 123 4567",
                user_id=user.id,
            )


def _login(
    session: Session,
    kek: str,
    user: User,
    org: Organisation,
    role: Role,
    with_token: bool,
    password: str,
    agreement_id: int,
) -> DemoLogin:
    token = None
    if with_token:
        for old in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == "demo")
        ):
            old.revoked_at = old.revoked_at or utcnow()
        scopes, wrap, binding = {Scope.read, Scope.write}, None, None
        if role is Role.representative:
            # the one exception to a sign token's 15 minutes and named documents: every document
            # of the demo agreement (annex agreements and amendments too, even those added
            # later) for a day, for automation and evaluation
            scopes.add(Scope.sign)
            wrap = sign_key_wrapper(session, kek, user, password, utcnow(), None, org)
            binding = SignBinding(agreement_id, frozenset(), utcnow() + DEMO_SIGN_TOKEN_LIFETIME)
        _row, token = create_token(session, user, "demo", scopes, wrap, binding)
    return DemoLogin(user.username, role, org.name, org.business_id, token)
