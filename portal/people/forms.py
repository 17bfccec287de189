from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3, not in its stubs
from wtforms.validators import DataRequired

from portal.messages import LANGUAGE_AUTONYMS
from portal.notifications.domain import CHOOSABLE_KINDS, Delivery, NotificationKind


class ProfileForm(FlaskForm):
    locale = RadioField(
        _l("Language"),
        validators=[DataRequired()],
        choices=[
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_AUTONYMS.items()
        ],
        description=_l(
            "The language of the portal's pages, of the mail you receive and of your signature stamp."
        ),
    )


#: the kinds of mail, as the profile page names them
MAIL_KIND_TITLES = {
    NotificationKind.sign_invitation: _l("Invitations to sign"),
    NotificationKind.in_force: _l("Entry into force, with the signed copy"),
    NotificationKind.contact_changed: _l("Notices of a changed contact person"),
    NotificationKind.sign_reminder: _l("Reminders to sign"),
    NotificationKind.annex_version: _l("New versions of annexes to check"),
    NotificationKind.annex_blocker: _l("Blockers found in annexes"),
}
DELIVERY_TITLES = {
    Delivery.immediate: _l("At once"),
    Delivery.daily: _l("In a daily summary"),
    Delivery.none: _l("Not by mail"),
}


class MailForm(FlaskForm):
    """One choice per kind of mail a person may choose for (domain.CHOOSABLE_KINDS)."""

    sign_reminder = RadioField(MAIL_KIND_TITLES[NotificationKind.sign_reminder], validators=[DataRequired()])
    annex_version = RadioField(MAIL_KIND_TITLES[NotificationKind.annex_version], validators=[DataRequired()])
    annex_blocker = RadioField(MAIL_KIND_TITLES[NotificationKind.annex_blocker], validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for kind in CHOOSABLE_KINDS:
            self[kind.value].choices = [(d.value, DELIVERY_TITLES[d]) for d in Delivery]

    def choices_made(self) -> dict[str, str]:
        return {kind.value: self[kind.value].data for kind in CHOOSABLE_KINDS}
