"""An administrator invites a person in Chromium; the mail goes out through a real SMTP server
on loopback (aiosmtpd); the person follows the link from that mail, sets a password and lands on
the agreement with their role; the same link a second time says it was already used."""

import email
import email.policy
import re
import threading

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from portal.mail.delivery import deliver_due
from tests.integration.test_mail import free_port

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+)")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def inbox(app, monkeypatch):
    port = free_port()
    for key, value in {
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": port,
        "PORTAL_SMTP_STARTTLS": False,
        "PORTAL_SMTP_USER": "",
        "PORTAL_SMTP_FROM": "Sopu <sopu@example.invalid>",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    yield received
    controller.stop()


def test_an_invited_person_sets_a_password_and_lands_on_the_agreement(site, app, inbox):
    agreement, orgs, _reps, admin = site.factory.agreement(parties=2)

    secretary = site.open("fi")
    secretary.sign_in(admin)
    secretary.goto(f"/agreements/{agreement.id}")
    secretary.page.get_by_role("link", name="Henkilöt ja kutsut").click()
    form = secretary.page.locator("main form.narrow-form")
    form.get_by_label("Sähköposti").fill("uusi.lakimies@example.fi")
    form.get_by_label("Osapuoli").select_option(orgs[1].business_id)
    form.get_by_label("Rooli").select_option("lawyer")
    form.get_by_label("Kutsun kieli").select_option("sv")
    form.get_by_role("button", name="Lähetä kutsu").click()
    expect(secretary.page.locator(".invitation-list")).to_contain_text("uusi.lakimies@example.fi")

    site.session.expire_all()
    assert deliver_due(site.session, app.config).sent == 1
    [(recipients, message)] = inbox.messages
    assert recipients == ["uusi.lakimies@example.fi"] and message["Content-Language"] == "sv"
    text = message.get_body(preferencelist=("plain",)).get_content()
    path = LINK.search(text).group(1)
    print(f"\ninvitation mail: {message['Subject']!r} -> {path[:24]}…")

    person = site.open("sv")
    person.goto(path)
    p = person.page
    p.get_by_label("Ditt namn").fill("Ulla Lakimies")
    p.locator("#password").fill("ett långt lösenord")
    p.locator("#confirm").fill("ett långt lösenord")
    with p.expect_navigation():
        p.get_by_role("button", name="Skapa mitt konto").click()
    assert p.url.endswith(f"/agreements/{agreement.id}")
    expect(p.locator(".my-roles")).to_contain_text("Jurist")
    expect(p.locator(".my-roles")).to_contain_text(orgs[1].name)
    expect(p.locator("#messages")).to_contain_text("Välkommen")

    again = site.open("sv")
    response = again.goto(path)
    assert response.status == 410
    expect(again.page.locator(".invitation-closed")).to_have_text(
        "Inbjudningslänken har redan använts. Logga i stället in i tjänsten."
    )
    expect(again.page.locator("main form")).to_have_count(0)
