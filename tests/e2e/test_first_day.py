"""The first day of a real deployment, in Chromium, from an empty database (issue 9, "Done when").

Nothing of the demo is loaded: the database holds the schema and the portal's CA and seal, as
`portal db upgrade` leaves it. Then:

1. `portal admin create-user --admin --password-stdin` (a real subprocess on the same database)
   bootstraps the administrator;
2. the administrator signs in (PORTAL_MFA=required: enrols an authenticator app first), imports
   two organisations from a CSV file uploaded in the UI and registers a third by hand;
3. drafts an agreement in /agreements/new: a real PDF as the main document, the three parties
   picked from the register, one goal, the councils' approvals required;
4. invites three representatives, a lawyer and a contact person; the mails go out through a real
   SMTP server on loopback (aiosmtpd); each person follows the link read from their mail, sets a
   password and enrols TOTP (codes computed with pyotp from the secret the page shows);
5. the lawyer uploads an annex agreement;
6. the administrator opens the main agreement for signature and the three representatives sign it,
   each with a fresh code from their authenticator app (not the password);
7. the administrator records the three councils' approvals: the agreement is in force, and poppler's
   `pdfsig` counts the valid signatures of the final file downloaded from the page.

Every wait is on a selector or a navigation; no sleeps."""

import email
import email.policy
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from portal.agreements.domain import Status
from portal.demo.pdf import text_to_pdf
from portal.documents.models import Document
from portal.mail.delivery import deliver_due
from tests.browser import BrowserPage, off_loop
from tests.integration.test_mail import free_port

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+)")
ADMIN_PASSWORD = "ensimmäisen päivän salasana"
PERSON_PASSWORD = "kutsutun henkilön salasana"
TITLE = "Hyvinvoinnin yhteistyösopimus 2027"
MAIN_TEXT = """HYVINVOINNIN YHTEISTYÖSOPIMUS 2027
1. Osapuolet
Tämän sopimuksen osapuolet ovat Pirkanmaan hyvinvointialue, Kangasalan kunta ja Pirkanmaan liitto.
2. Tavoitteet
Osapuolet edistävät yhdessä asukkaiden hyvinvointia ja terveyttä.
3. Voimaantulo
Sopimus tulee voimaan, kun osapuolet ovat sen hyväksyneet ja allekirjoittaneet.
Sopimuksen irtisanomisaika on 12 kuukautta."""
ANNEX_TEXT = """LIIKUNTAPALVELUJEN LIITESOPIMUS
1. Osapuolet
Tämän liitesopimuksen osapuolet ovat pääsopimuksen osapuolet.
2. Voimaantulo
Liitesopimus tulee voimaan pääsopimuksen kanssa.
Sopimuksen irtisanomisaika on 12 kuukautta."""
#: two organisations in the CSV file (the register's columns, semicolons as Excel writes them);
#: the third is registered by hand. Business IDs with correct check digits.
CSV = (
    "business_id;name;name_sv;kind;street_address;postal_code;city\n"
    "3221318-2;Pirkanmaan hyvinvointialue;Birkalands välfärdsområde;wellbeing_services_county;"
    "Kuntokatu 1;33520;Tampere\n"
    "0157728-2;Kangasalan kunta;Kangasala kommun;municipality;Kauppakatu 1;36200;Kangasala\n"
)
THIRD = ("0213417-6", "Pirkanmaan liitto", "Birkalands förbund")


class Inbox:
    """What the loopback SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 (aiosmtpd's)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def link_for(self, address: str) -> str:
        with self.lock:
            found = [m for rcpts, m in self.messages if address in rcpts]
        assert len(found) == 1, f"{len(found)} mails to {address}"
        match = LINK.search(found[0].get_body(preferencelist=("plain",)).get_content())
        assert match, f"no invitation link in the mail to {address}"
        return match.group(1)


@pytest.fixture
def inbox(app, monkeypatch) -> Inbox:
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


@pytest.fixture
def mfa_required(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PORTAL_MFA", "required")


@dataclass
class Person:
    email: str
    name: str
    role: str  # the value of the role select
    business_id: str
    page: BrowserPage | None = None
    totp: pyotp.TOTP | None = None


def bootstrap_admin(app) -> str:
    """`portal admin create-user` in a process of its own, on the live server's database."""
    env = dict(
        os.environ,
        PORTAL_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        PORTAL_DATA_DIR=os.environ["PORTAL_DATA_DIR"],
        PORTAL_ENV="production",
        PORTAL_KEY_ENCRYPTION_KEY=app.config["PORTAL_KEY_ENCRYPTION_KEY"],
        PORTAL_SECRET_KEY=app.config["SECRET_KEY"],
    )
    portal = Path(sys.executable).with_name("portal")
    result = subprocess.run(
        [
            str(portal),
            "admin",
            "create-user",
            "--username",
            "paakayttaja",
            "--email",
            "paakayttaja@pirkanmaa.example",
            "--name",
            "Pia Pääkäyttäjä",
            "--admin",
            "--language",
            "en",
            "--password-stdin",
        ],
        input=ADMIN_PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def enrol_totp(p: Page) -> pyotp.TOTP:
    """On the security page: set up the authenticator app with a code computed from the secret
    the page shows. Returns the app (pyotp) for later codes."""
    if p.get_by_role("button", name="Set up an authenticator app").count():
        p.get_by_role("button", name="Set up an authenticator app").click()
    secret = p.locator("#totp-secret")
    expect(secret).to_be_visible()
    totp = pyotp.TOTP(secret.inner_text().strip())
    p.get_by_label(re.compile(r"^Code\b")).fill(totp.now())
    p.get_by_role("button", name="Turn on the authenticator app").click()
    expect(p.locator("#recovery-codes li")).to_have_count(10)
    return totp


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step: the portal accepts one step either side and refuses a step
    already used (the one of the enrolment), so this code is fresh without waiting for the clock."""
    return totp.at(int(time.time()) + totp.interval)


def test_the_first_day_from_an_empty_database(app, site, inbox, mfa_required, tmp_path, monkeypatch):
    from portal.auth.models import User
    from portal.organisations.models import Organisation

    site.session.expire_all()
    assert site.session.query(User).count() == 0 and site.session.query(Organisation).count() == 0

    # 1. the administrator, from the command line
    cli_output = bootstrap_admin(app)
    print(f"\nportal admin create-user: {cli_output}")

    # 2. sign-in; the second factor is required of an administrator: the app is enrolled first
    admin = site.open("en")
    a = admin.page
    admin.goto("/login")
    a.get_by_label("Username").fill("paakayttaja")
    a.get_by_label("Password").fill(ADMIN_PASSWORD)
    with a.expect_navigation():
        a.get_by_role("button", name="Sign in").click()
    admin.goto("/security")
    expect(a.get_by_role("heading", level=1)).to_have_text("Security")
    enrol_totp(a)

    # the register: two organisations from a CSV file, the third by hand
    admin.goto("/admin/organisations")
    a.get_by_label("CSV file").set_input_files(
        {"name": "rekisteri.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}
    )
    a.get_by_role("button", name="Import").click()
    results = a.locator("#organisation-results")
    expect(results).to_contain_text("Pirkanmaan hyvinvointialue")
    expect(results).to_contain_text("Kangasalan kunta")
    a.get_by_role("link", name="Register an organisation").click()
    a.get_by_label("Business ID").fill(THIRD[0])
    a.get_by_label("Name in Finnish").fill(THIRD[1])
    a.get_by_label("Name in Swedish").fill(THIRD[2])
    a.get_by_label("Kind").select_option("regional_council")
    a.get_by_label("Street address").fill("Kelloportinkatu 1 B")
    a.get_by_label("Postal code").fill("33100")
    a.get_by_label("Post office").fill("Tampere")
    with a.expect_navigation():
        a.get_by_role("button", name="Save").click()
    admin.goto("/admin/organisations")
    expect(a.locator("#organisation-results")).to_contain_text(THIRD[1])
    site.session.expire_all()
    orgs = {o.business_id: o for o in site.session.query(Organisation)}
    assert len(orgs) == 3
    hva, kangasala, liitto = (orgs["3221318-2"], orgs["0157728-2"], orgs[THIRD[0]])

    # 3. the agreement drafted in the UI, its parties picked from the register by search
    admin.goto("/agreements/new")
    a.get_by_label("Title in Finnish").fill(TITLE)
    a.get_by_label("Title in Swedish").fill("Samarbetsavtal om välfärd 2027")
    search = a.get_by_label("Search the register by name or business ID")
    for query, business_id in (
        ("Pirkanmaan", hva.business_id),
        ("Kangasala", kangasala.business_id),
        (THIRD[0], liitto.business_id),
    ):
        search.fill(query)
        a.get_by_role("button", name="Search").click()
        found = a.locator(f"#found-{business_id}")
        expect(found).to_be_visible()
        found.check()
    a.get_by_role("button", name="Search").click()  # the ticked ones join the chosen parties
    expect(a.locator(".party-picker__chosen input[name=parties]")).to_have_count(3)
    a.get_by_role("textbox", name="Goal", exact=True).fill("Asukkaiden hyvinvointi")
    a.get_by_role("textbox", name="Description", exact=True).fill(
        "Hyvinvoinnin ja terveyden edistäminen yhdessä."
    )
    a.get_by_role("textbox", name="Indicators", exact=True).fill("Liikkuvien asukkaiden osuus")
    expect(
        a.get_by_label("Enters into force only when every party's competent body has approved it")
    ).to_be_checked()
    a.get_by_label("Notice period in months").fill("12")
    a.get_by_label("Agreement document (PDF)").set_input_files(
        {
            "name": "yhteistyosopimus.pdf",
            "mimeType": "application/pdf",
            "buffer": text_to_pdf(MAIN_TEXT, title=TITLE),
        }
    )
    with a.expect_navigation():
        a.get_by_role("button", name="Save the draft").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(TITLE)
    agreement_path = re.search(r"/agreements/\d+", a.url).group(0)

    # 4. five people invited; each follows the link from their mail
    people = [
        Person("edustaja@pirkanmaa.example", "Eeva Edustaja", "representative", hva.business_id),
        Person("edustaja@kangasala.example", "Kalle Kunnanjohtaja", "representative", kangasala.business_id),
        Person("edustaja@liitto.example", "Liisa Maakuntajohtaja", "representative", liitto.business_id),
        Person("lakimies@pirkanmaa.example", "Lauri Lakimies", "lawyer", hva.business_id),
        Person(
            "yhteyshenkilo@kangasala.example", "Ykä Yhteyshenkilö", "contact_person", kangasala.business_id
        ),
    ]
    a.get_by_role("link", name="People and invitations").click()
    form = a.locator("main form.narrow-form")
    for person in people:
        form.get_by_label("E-mail").fill(person.email)
        form.get_by_label("Party").select_option(person.business_id)
        form.get_by_label("Role").select_option(person.role)
        form.get_by_label("Language of the invitation").select_option("en")
        form.get_by_role("button", name="Send the invitation").click()
        expect(a.locator(".invitation-list")).to_contain_text(person.email)

    site.session.expire_all()
    delivered = off_loop(deliver_due, site.session, app.config)
    assert delivered.sent == len(people)
    for person in people:
        person.page = site.open("en")
        p = person.page.page
        person.page.goto(inbox.link_for(person.email))
        p.get_by_label("Your name").fill(person.name)
        p.locator("#password").fill(PERSON_PASSWORD)
        p.locator("#confirm").fill(PERSON_PASSWORD)
        with p.expect_navigation():
            p.get_by_role("button", name="Create my account").click()
        person.page.goto("/security")
        person.totp = enrol_totp(p)
        person.page.goto(agreement_path)
        expect(p.locator(".my-roles")).to_be_visible()
    representatives = people[:3]
    lawyer = people[3]

    # 5. the lawyer uploads an annex agreement
    lp = lawyer.page.page
    lawyer.page.goto(agreement_path + "?tab=documents")
    lp.locator("#document-upload-details summary").click()
    upload = lp.locator("#document-upload")
    upload.locator("input[name=title]").fill("Liikuntapalvelujen liitesopimus")
    upload.locator("input[type=file]").set_input_files(
        {
            "name": "liite.pdf",
            "mimeType": "application/pdf",
            "buffer": text_to_pdf(ANNEX_TEXT, title="Liikuntapalvelujen liitesopimus"),
        }
    )
    for org in (hva, kangasala, liitto):
        upload.get_by_label(org.name).check()
    upload.locator("input[name=goals]").first.check()
    upload.locator("button[type=submit]").click()
    expect(lp.locator("#documents-list li").filter(has_text="Liikuntapalvelujen liitesopimus")).to_have_count(
        1
    )

    # 6. open for signature; each representative signs with a fresh code of their app
    admin.goto(agreement_path)
    with a.expect_navigation():
        a.get_by_role("button", name="Open for signature").click()
    expect(a.locator("#agreement-state .status-label")).to_have_text("Open for signature")
    # the enrolment's code is not fresh any more: signing asks for a new one
    monkeypatch.setitem(app.config, "PORTAL_MFA_FRESH_SECONDS", 0)
    for person, org in zip(representatives, (hva, kangasala, liitto), strict=True):
        p = person.page.page
        person.page.goto(agreement_path)
        sign = p.locator("form.sign-form")
        expect(sign.get_by_label("Your password")).to_have_count(0)  # not the password again
        sign.get_by_label("Place").fill("Tampere")
        sign.get_by_label("Code from your authenticator app").fill(next_code(person.totp))
        sign.get_by_label("I have read the document and sign this version of it.").check()
        sign.get_by_role("button", name="Sign the agreement").click()
        expect(p.locator(f"#party-{org.id}")).to_contain_text("Signed")
        expect(p.locator(f"#party-{org.id}")).to_contain_text(person.name)

    # 7. the administrator records the three councils' approvals
    admin.goto(f"{agreement_path}?tab=parties")  # every party's row: the parties section
    state = a.locator("#party-list-status")
    for org, body, section in (
        (hva, "Aluevaltuusto", "12"),
        (kangasala, "Kunnanvaltuusto", "45"),
        (liitto, "Maakuntavaltuusto", "7"),
    ):
        row = a.locator(f"#party-{org.id}")
        row.get_by_role("link", name=re.compile("Record approval")).click()
        approval = row.locator("form.approval-form")
        expect(approval).to_be_visible()
        approval.get_by_label("Decision-making body").fill(body)
        approval.get_by_label("Date of decision").fill("2026-11-16")
        approval.get_by_label("Section (§)").fill(section)
        approval.get_by_role("button", name=re.compile("Record")).click()
        # English dates are en_GB's: the day first
        expect(a.locator(f"#party-{org.id}")).to_contain_text(f"{body} 16/11/2026 § {section}")
    expect(state.locator(".status-label")).to_have_text("In force")

    admin.goto(agreement_path)
    with a.expect_download() as info:
        a.get_by_role("link", name="Download the signed agreement (PDF)").click()
    final = tmp_path / "final.pdf"
    info.value.save_as(final)
    site.session.expire_all()
    document = site.session.query(Document).filter_by(title=TITLE).one()
    assert document.status is Status.in_force
    pdfsig = subprocess.run(["pdfsig", str(final)], capture_output=True, text=True, timeout=120)
    print(pdfsig.stdout)
    # 4 = the portal's seal, put on the PDF when it was opened for signature, and the signatures
    # of the three representatives (one a party). The council approvals are recorded decisions, not
    # signatures in the file; the annex agreement is a document of its own.
    # and, last, the document timestamp of the entry into force (B-LTA), which pdfsig 22 lists
    # but cannot validate ("Signature Type: unknown"): pyHanko's AdES validation covers it
    blocks = re.split(r"\nSignature #\d+:", pdfsig.stdout)[1:]
    signed = [b for b in blocks if "ETSI.CAdES.detached" in b]
    signatures = re.findall(r"Signature Validation: (.+)", "".join(signed))
    assert signatures == ["Signature is Valid."] * 4, pdfsig.stdout
    fields = re.findall(r"Signature Field Name: (.+)", "".join(signed))
    assert sorted(fields) == ["party-01", "party-02", "party-03", "sopu-certification"]
    assert len(blocks) == 5 and "Timestamp" in blocks[-1], pdfsig.stdout
    mails = len(inbox.messages)
    print(
        f"first day: admin bootstrapped by the CLI, 3 organisations (2 from CSV), agreement "
        f"{TITLE!r} drafted, {len(people)} people invited and enrolled (TOTP), 1 annex uploaded, "
        f"3 signatures with TOTP, 3 approvals, in force; {mails} mails through SMTP; "
        f"pdfsig: {len(signatures)} valid signatures"
    )
