import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from htmx_flask import request

from portal.agreements.services import get_visible_agreement
from portal.appctx import links
from portal.contacts import gdpr, services
from portal.contacts.domain import ERASED_NAME, may_edit_own
from portal.contacts.forms import ContactForm
from portal.errors import PortalError
from portal.extensions import db
from portal.i18n import party_name
from portal.messages import CONTACT_FIELD_TITLES, LANGUAGE_AUTONYMS, message
from portal.permissions import Action, allowed, require

bp = Blueprint("contacts", __name__)


@bp.app_context_processor
def contact_helpers():
    return {
        "contact_field_titles": CONTACT_FIELD_TITLES,
        "language_autonyms": LANGUAGE_AUTONYMS,
        "contacts_of": lambda agreement: services.contacts_of(db.session, agreement.id),
        "may_edit_contact": lambda c: may_edit_own(current_user.id, c.user_id),
        "former_contacts_of": lambda agreement: [
            c
            for c in services.contacts_of(db.session, agreement.id, active=False)
            if not c.active and c.name != ERASED_NAME
        ],
        "may_erase_contacts": lambda: allowed(current_user, Action.administer),
        "may_replace_contact": lambda c: allowed(current_user, Action.replace_contact, c),
    }


def _visible_contact(contact_id: int):
    contact = services.get_contact(db.session(), contact_id)
    get_visible_agreement(db.session(), current_user, contact.agreement_id)
    return contact


def _own_contact(contact_id: int):
    contact = _visible_contact(contact_id)
    require(current_user, Action.edit_own_contact, contact)
    return contact


def _fragment_or_page(fragment: str, page: str) -> str:
    """htmx swaps the fragment in; a plain request gets the full page that includes it."""
    return fragment if request.htmx else page


@bp.get("/contacts/<int:contact_id>")
@login_required
def row(contact_id: int):
    contact = _visible_contact(contact_id)
    if not request.htmx:
        return redirect(
            url_for(
                "agreements.show",
                agreement_id=contact.agreement_id,
                tab="contacts",
                _anchor=f"contact-{contact.id}",
            )
        )
    return render_template("contacts/_contact_row.html", contact=contact)


@bp.get("/contacts/<int:contact_id>/edit")
@login_required
def edit(contact_id: int):
    contact = _own_contact(contact_id)
    return render_template(
        _fragment_or_page("contacts/_contact_form.html", "contacts/edit.html"),
        contact=contact,
        form=ContactForm(formdata=None, obj=contact),
    )


@bp.post("/contacts/<int:contact_id>")
@login_required
def update(contact_id: int):
    contact = _own_contact(contact_id)
    form = ContactForm()
    if not form.validate():
        template = _fragment_or_page("contacts/_contact_form.html", "contacts/edit.html")
        return render_template(template, contact=contact, form=form), 422
    services.update_own_details(db.session(), links(), current_user, contact.id, **form.details())
    db.session.commit()
    if not request.htmx:
        return redirect(url_for("agreements.show", agreement_id=contact.agreement_id))
    return render_template("contacts/_contact_row.html", contact=contact, saved=message("contact_saved"))


@bp.get("/contacts/history")
@login_required
def history():
    return render_template("contacts/history.html", changes=services.history_of(db.session, current_user))


@bp.get("/contacts/history/export")
@login_required
def export():
    body = json.dumps(gdpr.export_for_user(db.session, current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="sopu-my-contact-data.json"'},
    )


def _erasable(contact_id: int):
    require(current_user, Action.administer)
    contact = _visible_contact(contact_id)
    if contact.name == ERASED_NAME:
        raise PortalError("not_found", 404)
    return contact


@bp.get("/contacts/<int:contact_id>/erase")
@login_required
def erase_confirm(contact_id: int):
    contact = _erasable(contact_id)
    return render_template(
        "contacts/erase.html", contact=contact, entries=gdpr.same_person(db.session(), contact)
    )


@bp.post("/contacts/<int:contact_id>/erase")
@login_required
def erase(contact_id: int):
    contact = _erasable(contact_id)
    gdpr.erase(db.session(), current_user, contact.id)
    db.session.commit()
    flash(_("The contact person's personal data was erased."), "success")
    return redirect(url_for("agreements.show", agreement_id=contact.agreement_id))


def _replaceable(contact_id: int):
    contact = _visible_contact(contact_id)
    require(current_user, Action.replace_contact, contact)
    return contact


@bp.get("/contacts/<int:contact_id>/replace")
@login_required
def replace_form(contact_id: int):
    contact = _replaceable(contact_id)
    return render_template(
        "contacts/replace.html", contact=contact, form=ContactForm(formdata=None, language=contact.language)
    )


@bp.post("/contacts/<int:contact_id>/replace")
@login_required
def replace(contact_id: int):
    """R2: an administrator names a party's new contact person; the others are told."""
    contact = _replaceable(contact_id)
    form = ContactForm()
    if not form.validate():
        return render_template("contacts/replace.html", contact=contact, form=form), 422
    services.replace_contact(db.session(), links(), current_user, contact.id, **form.details())
    db.session.commit()
    flash(
        _(
            "The contact person of %(party)s was replaced. The other parties will be told.",
            party=party_name(contact.organisation),
        ),
        "success",
    )
    return redirect(url_for("agreements.show", agreement_id=contact.agreement_id))
