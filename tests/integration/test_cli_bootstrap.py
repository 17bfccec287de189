"""The first day of a deployment from the command line (issue 9, 1): `db upgrade` on an empty
database creates the schema and the CA, `admin create-user` the first administrator, `tokens
create` a token for automation, `organisations import` the register."""

import pytest
from sqlalchemy import func, select

from portal.auth.domain import Role
from portal.auth.models import User
from portal.authority.models import AuthorityKey
from portal.organisations.models import Organisation
from tests.conftest import _drop_postgres_database, _postgres_database

PASSWORD = "pitkä salasana 2026"


@pytest.fixture
def empty_app(app, tmp_path):
    """A second app on a database with nothing in it, on the same backend as `app`."""
    from portal import create_app
    from portal.config import engine_options
    from portal.extensions import db

    postgres = app.config["BACKEND"] == "postgresql"
    url = _postgres_database() if postgres else f"sqlite:///{tmp_path / 'empty.db'}"
    fresh = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
            "PORTAL_STORAGE_URL": f"fs:{tmp_path / 'blobs'}",
        }
    )
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()
    if postgres:
        _drop_postgres_database(url)


class Runner:
    """The `portal` command of an app, each run in an app context of its own (as `portal` has)."""

    def __init__(self, app):
        self.app = app

    def invoke(self, **kwargs):
        from portal.extensions import db

        with self.app.app_context():
            result = self.app.test_cli_runner().invoke(**kwargs)
            db.session.remove()
        return result


def test_db_upgrade_on_an_empty_database_creates_the_ca(empty_app):
    from portal.extensions import db

    runner = Runner(empty_app)
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "CA" in result.output
    with empty_app.app_context():
        assert {k.name for k in db.session.scalars(select(AuthorityKey))} == {"ca", "seal"}
        ca = db.session.get(AuthorityKey, "ca").certificate_pem
    again = runner.invoke(args=["db", "upgrade"])  # idempotent: the same CA stays
    assert again.exit_code == 0, again.output
    with empty_app.app_context():
        assert db.session.get(AuthorityKey, "ca").certificate_pem == ca
        db.session.remove()
    # the first administrator, then a token: on the empty portal, with no demo
    created = runner.invoke(
        args=[
            "admin",
            "create-user",
            "--username",
            "paakayttaja",
            "--email",
            "paakayttaja@example.fi",
            "--name",
            "Pää Käyttäjä",
            "--admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    token = runner.invoke(
        args=["tokens", "create", "--username", "paakayttaja@example.fi", "--scopes", "read,write"]
    )
    assert token.exit_code == 0, token.output
    response = empty_app.test_client().get(
        "/api/v1/agreements", headers={"Authorization": f"Bearer {token.output.strip()}"}
    )
    assert (response.status_code, response.json) == (200, {"items": [], "next_cursor": None})


def test_verify_without_a_ca_gives_advice_that_works(empty_app, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = Runner(empty_app).invoke(args=["verify", str(pdf)])
    assert result.exit_code != 0
    assert "PORTAL_DATABASE_URL" in result.output and "db upgrade" in result.output


def test_create_user_with_the_password_on_stdin_then_sign_in(app, db, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "admin",
            "create-user",
            "--username",
            "sihteeri2",
            "--email",
            "sihteeri2@example.fi",
            "--name",
            "Sanna Sihteeri",
            "--admin",
            "--language",
            "sv",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "sihteeri2"))
    assert (user.role, user.organisation_id, user.locale, user.display_name) == (
        Role.administrator,
        None,
        "sv",
        "Sanna Sihteeri",
    )
    assert client.post("/login", data={"username": "sihteeri2", "password": "wrong"}).status_code != 302
    assert client.post("/login", data={"username": "sihteeri2", "password": PASSWORD}).status_code == 302
    page = client.get("/admin/organisations")  # an administrator with no party of their own
    assert page.status_code == 200 and 'lang="sv"' in page.text
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (["--password-stdin"], "short\n", "at least 12"),
        (["--password-stdin", "--business-id", "0211675-2"], PASSWORD + "\n", "no organisation"),
    ],
)
def test_create_user_refusals(app, db, args, stdin, said):
    before = db.session.scalar(select(func.count(User.id)))
    result = app.test_cli_runner().invoke(
        args=["admin", "create-user", "--username", "uusi", "--email", "uusi@example.fi", *args], input=stdin
    )
    assert result.exit_code != 0 and said in result.output
    assert db.session.scalar(select(func.count(User.id))) == before


def test_a_username_taken_is_refused(app, db, factory):
    user = factory.user(factory.org())
    factory.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "admin",
            "create-user",
            "--username",
            user.username,
            "--email",
            "x@example.fi",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0 and "already in use" in result.output


def test_tokens_create_never_issues_sign(app, db, factory):
    user = factory.user(factory.org(), Role.representative)
    factory.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["tokens", "create", "--username", user.username, "--scopes", "read,sign"])
    assert refused.exit_code != 0 and "sign scope is never issued" in refused.output
    unknown = runner.invoke(args=["tokens", "create", "--username", "nobody"])
    assert unknown.exit_code != 0 and "no active user" in unknown.output
    made = runner.invoke(args=["tokens", "create", "--username", user.email, "--scopes", "read"])
    assert made.exit_code == 0 and made.output.startswith("sopu_")
    response = app.test_client().post(
        "/api/v1/documents/1/signatures",
        json={"place": "Tampere"},
        headers={"Authorization": f"Bearer {made.output.strip()}"},
    )
    assert (response.status_code, response.json["error"]) == (403, "scope_missing")


def test_organisations_import_from_the_command_line(app, db, factory, tmp_path):
    factory.user(factory.org(), Role.administrator)
    factory.session.commit()
    good = tmp_path / "ok.csv"
    good.write_bytes(
        "\ufeffbusiness_id;name;name_sv;kind\n0211675-2;Tampereen kaupunki;"
        "Tammerfors stad;municipality\n".encode()
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["organisations", "import", str(good)])
    assert first.exit_code == 0 and "created 1" in first.output, first.output
    assert "unchanged 1" in runner.invoke(args=["organisations", "import", str(good)]).output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"business_id,name,kind\n0150412-0,Liitto,regional_council\n0211675-3,X,municipality\n")
    refused = runner.invoke(args=["organisations", "import", str(bad)])
    assert refused.exit_code != 0 and "Line 3" in refused.output
    assert db.session.scalar(select(Organisation).where(Organisation.business_id == "0150412-0")) is None


def test_create_user_without_a_password_mails_a_link_to_set_one(empty_app):
    """No --password-stdin: the person exists but cannot sign in; a mail in their language
    carries a single-use link to set the password (the account invitation of portal.invitations)."""
    from portal.auth.services import authenticate
    from portal.extensions import db
    from portal.mail.models import OutboxMail

    runner = Runner(empty_app)
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    created = runner.invoke(
        args=[
            "admin",
            "create-user",
            "--username",
            "toinen",
            "--email",
            "toinen@example.fi",
            "--admin",
            "--language",
            "sv",
        ]
    )
    assert created.exit_code == 0, created.output
    assert "toinen@example.fi" in created.output and "portal worker" in created.output
    with empty_app.app_context():
        mail = db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == "toinen@example.fi"))
        assert mail is not None and mail.language == "sv" and "/invitations/" in mail.body_text
        assert authenticate(db.session(), "toinen", "") is None  # no password signs in yet
        db.session.remove()
