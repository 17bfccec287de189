"""The limit of wrong passwords holds across app processes: gunicorn with three workers against
the real Redis on 127.0.0.1:6379 (PORTAL_RATELIMIT_STORAGE_URL), each worker answering some of
the attempts, and the eleventh wrong password is refused whichever worker answers it."""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from portal.auth.domain import Role
from tests.integration.test_mail import free_port

#: gunicorn workers in other processes read the test's users
pytestmark = pytest.mark.committing

REDIS_URL = "redis://127.0.0.1:6379"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn(app, db, tmp_path):
    """The portal under gunicorn (3 workers) on a free loopback port, sharing the test's database
    and limiting failures in Redis under a key prefix of its own."""
    port, prefix = free_port(), f"sopu-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_DATA_DIR": str(tmp_path),
        "PORTAL_STORAGE_URL": app.config["PORTAL_STORAGE_URL"],
        "PORTAL_SECRET_KEY": app.config["SECRET_KEY"],
        "PORTAL_KEY_ENCRYPTION_KEY": app.config["PORTAL_KEY_ENCRYPTION_KEY"],
        "PORTAL_RATELIMIT_STORAGE_URL": REDIS_URL,
        "PORTAL_RATELIMIT_KEY_PREFIX": prefix,
        "PORTAL_LOGIN_RATE_LIMIT": "10 per minute",
        "PORTAL_ENV": "production",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(s)s %(m)s %(U)s",
            "portal:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, process)
        yield port, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode(errors="replace")
        keys = redis.Redis.from_url(REDIS_URL)
        for key in keys.scan_iter(f"*{prefix}*"):
            keys.delete(key)
        keys.close()
    assert "Traceback" not in output, output


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            pytest.fail("gunicorn exited: " + process.stdout.read().decode(errors="replace"))
        try:
            status, _, _ = request(port, "GET", "/login")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("gunicorn did not answer within a minute")


def request(port, method, path, body=None, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=urlencode(body) if body else None, headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, response.getheader("Set-Cookie"), text


def test_the_limit_of_wrong_passwords_holds_across_gunicorn_workers(factory, gunicorn):
    port, log = gunicorn
    user = factory.user(factory.org(), Role.viewer)
    factory.session.commit()
    _, set_cookie, page = request(port, "GET", "/login")
    cookie = set_cookie.split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    wrong = {"csrf_token": token, "username": user.username, "password": "wrong"}

    def attempt(_):
        return request(port, "POST", "/login", wrong, cookie)[0]

    with ThreadPoolExecutor(10) as pool:  # at once, so that every worker takes some
        codes = list(pool.map(attempt, range(10)))
    assert codes == [422] * 10
    later = [attempt(n) for n in range(5)]
    assert later == [429] * 5, later
    right = request(port, "POST", "/login", {**wrong, "password": "pw"}, cookie)[0]
    assert right == 429  # the account waits out the minute, whichever worker answers
    workers = {line.split()[0] for line in log.read_text().splitlines() if " POST /login" in line}
    assert len(workers) >= 2, workers
