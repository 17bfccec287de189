"""An agreement's people (its memberships and open invitations, with the invitation form) and
the page an invitation's link opens."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from portal.agreements.services import get_visible_agreement
from portal.appctx import invitation_context
from portal.audit.services import record
from portal.auth import oidc
from portal.auth.models import User
from portal.auth.services import renew_session_nonce
from portal.errors import PortalError
from portal.extensions import db
from portal.i18n import party_name
from portal.invitations import services
from portal.invitations.domain import InvitationState, same_address
from portal.invitations.forms import (
    AcceptForm,
    InviteForm,
    SetPasswordForm,
    TakeForm,
    WithdrawForm,
)
from portal.invitations.models import Invitation
from portal.memberships.models import Membership
from portal.memberships.services import end_membership as end
from portal.memberships.services import members_of
from portal.messages import ROLE_TITLES, message
from portal.paging import page_arg, paged
from portal.permissions import Action, require
from portal.timeutil import utcnow

bp = Blueprint("invitations", __name__)


def _administered(agreement_id: int):
    agreement = get_visible_agreement(db.session(), current_user, agreement_id)
    require(current_user, Action.administer, agreement)
    return agreement


#: the people page lists this many roles a page
MEMBERS_PER_PAGE = 50


def _people_page(agreement, form: InviteForm | None = None, status: int = 200):
    return render_template(
        "invitations/people.html",
        agreement=agreement,
        member_page=paged(members_of(db.session(), agreement.id), page_arg(), MEMBERS_PER_PAGE),
        invitations=services.open_invitations(db.session(), agreement.id),
        form=form or InviteForm(formdata=None).with_choices(agreement),
        withdraw_form=WithdrawForm(formdata=None),
    ), status


@bp.get("/agreements/<int:agreement_id>/people")
@login_required
def people(agreement_id: int):
    return _people_page(_administered(agreement_id))


@bp.post("/agreements/<int:agreement_id>/invitations")
@login_required
def invite(agreement_id: int):
    agreement = _administered(agreement_id)
    form = InviteForm().with_choices(agreement)
    if not form.validate_on_submit():
        return _people_page(agreement, form, 422)
    sent = services.invite(
        db.session(),
        invitation_context(),
        current_user,
        agreement,
        email=form.email.data or "",
        role=form.role.data or "",
        business_id=form.business_id.data or "",
        language=form.language.data or "",
    )
    db.session.commit()
    flash(
        _("A new invitation link was sent to %(email)s.", email=sent.invitation.email)
        if sent.resent
        else _("An invitation was sent to %(email)s.", email=sent.invitation.email),
        "success",
    )
    return redirect(url_for("invitations.people", agreement_id=agreement.id))


@bp.post("/memberships/<int:membership_id>/end")
@login_required
def end_membership(membership_id: int):
    """An administrator takes a person's role in the agreement away (the record stays)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.ended_at is not None:
        raise PortalError("not_found", 404)
    agreement = _administered(membership.agreement_id)
    if WithdrawForm().validate_on_submit():
        end(db.session(), membership, actor_id=current_user.id)
        db.session.commit()
        flash(
            _(
                "%(name)s no longer holds the role %(role)s for %(party)s.",
                name=membership.user.display_name,
                role=ROLE_TITLES[membership.role],
                party=party_name(membership.organisation),
            ),
            "success",
        )
    return redirect(url_for("invitations.people", agreement_id=agreement.id))


@bp.post("/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw(invitation_id: int):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.agreement_id is None:  # a portal invitation: not here
        raise PortalError("not_found", 404)
    _administered(invitation.agreement_id)
    if WithdrawForm().validate_on_submit():
        services.withdraw(db.session(), current_user, invitation)
        db.session.commit()
        flash(_("The invitation to %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(url_for("invitations.people", agreement_id=invitation.agreement_id))


def _closed(invitation: Invitation | None):
    """A link that cannot be followed says why, and offers nothing."""
    code = "invitation_unknown" if invitation is None else f"invitation_{invitation.state(utcnow()).value}"
    return render_template("invitations/closed.html", text=message(code)), (
        404 if invitation is None else 410
    )


def _accept_page(token: str, invitation: Invitation, form: AcceptForm | None = None, status: int = 200):
    if invitation.user_id is not None:  # an account made for the person: its password
        return render_template(
            "invitations/set_password.html", token=token, form=form or SetPasswordForm(formdata=None)
        ), status
    existing = services.existing_person(db.session(), invitation)
    signed_in_as_invitee = (
        existing is not None
        and current_user.is_authenticated
        and same_address(current_user.email, invitation.email)
    )
    return render_template(
        "invitations/accept.html",
        invitation=invitation,
        token=token,
        existing=existing,
        signed_in_as_invitee=signed_in_as_invitee,
        form=form or AcceptForm(formdata=None),
        take_form=TakeForm(formdata=None),
        # single sign-on, where configured: the provider vouches for the invited address
        sso_url=url_for("invitations.sso", token=token) if oidc.configured() else None,
    ), status


@bp.get("/invitations/<token>")
def accept(token: str):
    invitation = services.by_token(db.session(), token)
    if invitation is None or invitation.state(utcnow()) is not InvitationState.open:
        return _closed(invitation)
    return _accept_page(token, invitation)


@bp.get("/invitations/<token>/sso")
def sso(token: str):
    """Take the invitation by signing in with the organisation's account (OpenID Connect): the
    provider's verified address must be the invited one (services.accept_with_sso)."""
    if not oidc.configured():
        raise PortalError("not_found", 404)
    invitation = services.by_token(db.session(), token)
    if invitation is None or invitation.state(utcnow()) is not InvitationState.open:
        return _closed(invitation)
    return oidc.start_sso(None, invitation=token)


def accept_with_sso(session, token: str, identity) -> User | None:  # noqa: ANN001 (a Session)
    """What the OIDC callback calls for an invitation's sign-in (oidc.on_invitation)."""
    return services.accept_with_sso(session, token, identity.email, identity.name)


@bp.post("/invitations/<token>")
def accept_post(token: str):
    invitation = services.by_token(db.session(), token)
    if invitation is None or invitation.state(utcnow()) is not InvitationState.open:
        return _closed(invitation)
    if invitation.user_id is not None:
        return _set_password(token, invitation)
    if services.existing_person(db.session(), invitation) is not None:
        return _take(token)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _accept_page(token, invitation, form, 422)
    user = services.accept_as_new_person(
        db.session(), token, display_name=form.display_name.data or "", password=form.password.data or ""
    )
    _sign_in(user)
    db.session.commit()
    return _landing(invitation)


def _set_password(token: str, invitation: Invitation):
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return _accept_page(token, invitation, form, 422)
    user = services.set_own_password(db.session(), token, form.password.data or "")
    _sign_in(user)
    db.session.commit()
    flash(_("Your password was saved. Welcome to the portal."), "success")
    return redirect(url_for("agreements.index"))


def _take(token: str):
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    if not TakeForm().validate_on_submit():
        raise PortalError("csrf", 400)
    invitation = services.accept_as(db.session(), token, current_user)
    db.session.commit()
    return _landing(invitation)


def _sign_in(user) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session at sign-in, as auth.login_post does
    session["lang"] = lang or user.locale
    renew_session_nonce(user)
    login_user(user)
    record(db.session(), "sign_in", actor_id=user.id, via="invitation")


def _landing(invitation: Invitation):
    # only an invitation to an agreement lands here (one with user_id sets a password instead),
    # and such an invitation always names the role and the party
    assert invitation.role is not None and invitation.organisation is not None
    flash(
        _(
            "Welcome. Your role in this agreement: %(role)s, for %(party)s.",
            role=ROLE_TITLES[invitation.role],
            party=party_name(invitation.organisation),
        ),
        "success",
    )
    return redirect(url_for("agreements.show", agreement_id=invitation.agreement_id))
