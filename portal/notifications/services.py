"""Tell users what is waiting for them: a mail in the outbox and a notification in the portal,
both written in the transaction of the change. Services flush, never commit."""

from datetime import datetime, timedelta

from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from portal.agreements.domain import Status
from portal.agreements.models import Agreement
from portal.auth.domain import Role
from portal.auth.models import User
from portal.contacts.models import ContactPerson
from portal.documents.models import Document, DocumentKind
from portal.errors import PortalError
from portal.links import Links
from portal.mail.services import enqueue
from portal.memberships.models import Membership
from portal.notifications import domain, preferences
from portal.notifications.models import Delivery, Notification, NotificationKind, SigningRound
from portal.organisations.domain import name_in
from portal.organisations.models import Organisation
from portal.timeutil import utcnow


def _members(
    session: Session, agreement_id: int, organisation_ids, role: Role | None = None
) -> list[tuple[User, str]]:
    """The active people holding a role (`role`, or any) in the agreement for one of these
    parties, each once, with the name of the (first) party they hold it for, in the person's
    language where the party has a name in it."""
    query = (
        select(User, Organisation)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.agreement_id == agreement_id,
            Membership.ended_at.is_(None),
            Membership.organisation_id.in_(list(organisation_ids)),
            User.active.is_(True),
        )
    )
    if role is not None:
        query = query.where(Membership.role == role)
    found: dict[int, tuple[User, str]] = {}
    for user, party in session.execute(query.order_by(User.id, Membership.organisation_id)):
        found.setdefault(user.id, (user, name_in(user.locale, party.name, party.name_sv)))
    return list(found.values())


def _users(session: Session, agreement_id: int, organisation_ids, role: Role | None = None) -> list[User]:
    return [user for user, _party in _members(session, agreement_id, organisation_ids, role)]


def _tell(
    session: Session,
    links: Links,
    user: User,
    key: str,
    kind: NotificationKind,
    agreement: Agreement,
    path: str,
    document: Document | None = None,
    mail: bool = True,
    **context,
) -> None:
    """A notification in the portal, and its mail as the person chose for this kind: at once,
    in the daily digest (portal.notifications.digest) or none (always none: mail=False)."""
    context.setdefault("title", agreement.title)
    how = preferences.delivery_for(session, user, kind) if mail else Delivery.none
    if session.scalar(select(Notification.id).where(Notification.event_key == key)) is None:
        session.add(
            Notification(
                event_key=key,
                user_id=user.id,
                kind=kind,
                agreement_id=agreement.id,
                document_id=document.id if document is not None else None,
                path=path,
                params={"title": agreement.title, **context},
                digest_pending=how is Delivery.daily,
            )
        )
    if how is not Delivery.immediate:
        return
    enqueue(
        session,
        key,
        kind=kind.value,
        recipient=user.email,
        language=user.locale,
        agreement_id=agreement.id,
        agreement=agreement,
        user=user,
        link=links.external(path),
        base_url=links.external(""),
        profile_link=links.external(links.profile()),
        **context,
    )


def document_path(links: Links, document: Document) -> str:
    """The page of a signable document: the agreement's own page for the main agreement."""
    if document.kind is DocumentKind.main:
        return links.agreement(document.agreement_id)
    return links.document(document.id)


def signing_opened(session: Session, links: Links, document: Document) -> int:
    """Invite the representatives of the document's parties to sign; start the reminder clock."""
    if session.get(SigningRound, document.id) is None:
        session.add(SigningRound(document_id=document.id, opened_at=utcnow()))
    agreement = session.get_one(Agreement, document.agreement_id)
    users = _members(
        session, agreement.id, [p.organisation_id for p in document.parties], Role.representative
    )
    for user, party_name in users:
        _tell(
            session,
            links,
            user,
            domain.invitation_key(document.id, user.id),
            NotificationKind.sign_invitation,
            agreement,
            document_path(links, document),
            document,
            title=document.title,
            party_name=party_name,
        )
    if document.requires_approval:
        decisions_due(session, links, agreement, document)
    session.flush()
    return len(users)


def deciders(session: Session, agreement: Agreement) -> list[User]:
    """Who records the parties' decisions (permissions' record_decision): the agreement's
    administrators (its secretary), then the portal's administrators, each once."""
    parties = [p.organisation_id for p in agreement.parties]
    users = {u.id: u for u in _users(session, agreement.id, parties, Role.administrator)}
    for admin in _administrators(session):
        users.setdefault(admin.id, admin)
    return list(users.values())


def decisions_due(session: Session, links: Links, agreement: Agreement, document: Document) -> None:
    """The document opened for signature and needs the parties' approvals: the people who record
    decisions are told in the portal (no mail); settled once every decision is in (decided)."""
    for user in deciders(session, agreement):
        _tell(
            session,
            links,
            user,
            domain.decision_due_key(document.id, user.id),
            NotificationKind.decision_due,
            agreement,
            document_path(links, document),
            document,
            mail=False,
            title=document.title,
            parties=len(document.parties),
        )


def entered_into_force(session: Session, links: Links, document: Document) -> int:
    """Tell every user of every party of the document (for the main agreement and an amendment,
    every party of the agreement), with the download link."""
    agreement = session.get_one(Agreement, document.agreement_id)
    users = _users(session, agreement.id, [p.organisation_id for p in document.parties])
    on = document.entered_into_force_on.isoformat() if document.entered_into_force_on else ""
    for user in users:
        _tell(
            session,
            links,
            user,
            domain.in_force_key(document.id, user.id),
            NotificationKind.in_force,
            agreement,
            document_path(links, document),
            document,
            on=on,
            title=document.title,
            download=links.external(links.document_pdf(document.id)),
        )
    session.flush()
    return len(users)


def annex_version(
    session: Session, links: Links, agreement: Agreement, document: Document, version, uploader: User
) -> int:
    """A new annex version: the lawyers of the parties it concerns and the administrators (but
    the uploader) are told; what the earlier versions' notifications asked is settled."""
    settle(session, domain.Act.new_version, document.id)
    users = [u for u in concerned(session, agreement, document) if u.id != uploader.id]
    for user in users:
        _tell(
            session,
            links,
            user,
            domain.annex_version_key(version.id, user.id),
            NotificationKind.annex_version,
            agreement,
            document_path(links, document),
            document,
            title=document.title,
            version=version.number,
            uploader=uploader.display_name,
        )
    session.flush()
    return len(users)


def annex_blocker(session: Session, links: Links, agreement: Agreement, document: Document, version) -> int:
    """A check raised a blocker it had not raised before: the lawyers of the parties the
    document concerns and the administrators are told."""
    users = concerned(session, agreement, document)
    for user in users:
        _tell(
            session,
            links,
            user,
            domain.annex_blocker_key(version.id, version.check_run, user.id),
            NotificationKind.annex_blocker,
            agreement,
            document_path(links, document),
            document,
            title=document.title,
            version=version.number,
        )
    session.flush()
    return len(users)


def _administrators(session: Session) -> list[User]:
    """The portal's active administrators."""
    return list(
        session.scalars(
            select(User).where(User.role == Role.administrator, User.active.is_(True)).order_by(User.id)
        )
    )


def concerned(session: Session, agreement: Agreement, document: Document) -> list[User]:
    """Who hears of an annex document: the lawyers of the parties it concerns
    (domain.concerned_parties), then the portal's administrators, each once."""
    parties = domain.concerned_parties(
        [p.organisation_id for p in document.parties], [p.organisation_id for p in agreement.parties]
    )
    users = {u.id: u for u in _users(session, agreement.id, parties, Role.lawyer)}
    for admin in _administrators(session):
        users.setdefault(admin.id, admin)
    return list(users.values())


def settle(
    session: Session, act: domain.Act, document_id: int, user_ids: Select | list[int] | None = None
) -> None:
    """Mark done what `act` on the document settles (domain.SETTLES): for these users (None:
    everyone's). What was done no longer waits in the portal nor in a digest."""
    query = (
        update(Notification)
        .where(
            Notification.document_id == document_id,
            Notification.kind.in_([k.value for k in domain.settled_kinds(act)]),
            Notification.done_at.is_(None),
        )
        .values(done_at=utcnow(), read_at=func.coalesce(Notification.read_at, utcnow()))
        .execution_options(synchronize_session=False)
    )
    if user_ids is not None:
        query = query.where(Notification.user_id.in_(user_ids))
    session.execute(query)


def party_signed(session: Session, document: Document, organisation_id: int) -> None:
    """The party signed: its representatives' invitations and reminders to sign are done."""
    representatives = select(Membership.user_id).where(
        Membership.agreement_id == document.agreement_id,
        Membership.organisation_id == organisation_id,
        Membership.role == Role.representative,
    )
    settle(session, domain.Act.signed, document.id, representatives)


def decided(session: Session, document: Document, approved_org_ids: set[int]) -> None:
    """A decision was recorded: once every party's approval counts, nothing waits to be
    recorded and everyone's notice of decisions due is done."""
    if {p.organisation_id for p in document.parties} <= approved_org_ids:
        settle(session, domain.Act.decided, document.id)


def reviewed(session: Session, user: User, document_id: int, act: domain.Act = domain.Act.reviewed) -> None:
    """The person read (or acknowledged a flag of) the document's current version."""
    settle(session, act, document_id, [user.id])


def queue_reminders(
    session: Session, links: Links, config, now: datetime | None = None, limit: int = 200
) -> int:
    """Queue the reminder due for each party that has not signed yet (run by `portal worker`).

    Reads only the rounds whose next reminder is due, at most `limit` of them, and moves each
    one's next_reminder_at on: call it again (after a commit) while it returns `limit` rounds'
    worth, so a backlog is queued in short transactions."""
    now = now or utcnow()
    interval = float(config.get("PORTAL_REMINDER_DAYS", 7))
    cap = int(config.get("PORTAL_REMINDER_MAX", 3))
    if interval <= 0 or cap <= 0:
        return 0
    first_due_before = now - timedelta(days=interval)
    due = or_(
        SigningRound.next_reminder_at <= now,
        and_(
            SigningRound.next_reminder_at.is_(None),
            SigningRound.reminders_queued == 0,
            SigningRound.opened_at <= first_due_before,
        ),
    )
    rounds = session.execute(
        select(SigningRound, Document)
        .join(Document, SigningRound.document_id == Document.id)
        .where(Document.status == Status.signing, SigningRound.reminders_queued < cap, due)
        .options(selectinload(Document.signatures), selectinload(Document.parties))
        .order_by(SigningRound.document_id)
        .limit(limit)
    ).all()
    agreement_ids = {document.agreement_id for _round, document in rounds}
    agreements = {
        a.id: a
        for a in (
            session.scalars(select(Agreement).where(Agreement.id.in_(agreement_ids))) if agreement_ids else ()
        )
    }
    queued = 0
    for signing_round, document in rounds:
        number = domain.reminder_due(signing_round.opened_at, now, interval, cap)
        if number > signing_round.reminders_queued:
            queued += _remind(session, links, agreements[document.agreement_id], document, number)
            signing_round.reminders_queued = number
        signing_round.next_reminder_at = domain.next_reminder_at(
            signing_round.opened_at, signing_round.reminders_queued, interval, cap
        )
    session.flush()
    return queued


def _remind(session: Session, links: Links, agreement: Agreement, document: Document, number: int) -> int:
    """Reminder `number` to the representatives of the parties that have not signed yet
    (`agreement`: the document's, loaded with the rest of the pass's batch)."""
    signed = {s.organisation_id for s in document.signatures}
    pending = [p.organisation_id for p in document.parties if p.organisation_id not in signed]
    queued = 0
    for user, party_name in _members(session, agreement.id, pending, Role.representative):
        key = domain.reminder_key(document.id, number, user.id)
        if session.scalar(select(Notification.id).where(Notification.event_key == key)):
            continue
        _tell(
            session,
            links,
            user,
            key,
            NotificationKind.sign_reminder,
            agreement,
            document_path(links, document),
            document,
            number=number,
            title=document.title,
            party_name=party_name,
        )
        queued += 1
    return queued


def contact_changed(
    session: Session, links: Links, key: str, agreement: Agreement, contact: ContactPerson, **context
) -> bool:
    """The written notice of a change of contact person (R2) to one contact person of another
    party, by mail; it also shows in the portal when that contact person is a user. False when
    the notice was already given."""
    path = links.agreement(agreement.id)
    mail = enqueue(
        session,
        key,
        kind=NotificationKind.contact_changed.value,
        recipient=contact.email,
        language=contact.language,
        agreement_id=agreement.id,
        agreement=agreement,
        link=links.external(path),
        **context,
    )
    if mail is None:
        return False
    user_id = session.scalar(
        select(ContactPerson.user_id)
        .where(
            ContactPerson.agreement_id == agreement.id,
            ContactPerson.email == contact.email,
            ContactPerson.active.is_(True),
            ContactPerson.user_id.is_not(None),
        )
        .limit(1)
    )
    if (
        user_id is not None
        and session.scalar(select(Notification.id).where(Notification.event_key == key)) is None
    ):
        party = context.get("party")
        session.add(
            Notification(
                event_key=key,
                user_id=user_id,
                kind=NotificationKind.contact_changed,
                agreement_id=agreement.id,
                path=path,
                params={"title": agreement.title, "party": party.name if party else ""},
            )
        )
        session.flush()
    return True


def notifications_of(session: Session, user: User, limit: int = 200) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


#: every page's badge asks it: built once (parameter: user_id), not for every page
_UNREAD_COUNT = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_count(session: Session, user: User) -> int:
    # on the session's connection: a number, no objects for the ORM's execution to set up
    return session.connection().scalar(_UNREAD_COUNT, {"user_id": user.id}) or 0


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    """Only one's own: someone else's notification is as good as missing (404)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise PortalError("not_found", 404)
    notification.read_at = notification.read_at or utcnow()
    session.flush()
    return notification


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
