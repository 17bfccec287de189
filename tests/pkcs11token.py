"""A SoftHSM2 token of the tests' own: initialised in a temporary folder (SOFTHSM2_CONF), so
the machine's tokens are never touched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)
PIN, SO_PIN, LABEL = "1234", "12345678", "sopu-test"


def softhsm_module() -> str:
    for path in MODULES:
        if Path(path).exists():
            return path
    pytest.fail("SoftHSM2 is missing: apt-get install softhsm2")


def init_token(folder: Path) -> str:
    """A fresh token LABEL (user PIN PIN) in `folder`; returns the module's path. SoftHSM2
    reads its configuration once per process: call this once per test run (a session fixture)
    and give each test keys of its own labels."""
    tokens = folder / "tokens"
    tokens.mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", LABEL, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
    return softhsm_module()


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory) -> str:
    return init_token(tmp_path_factory.mktemp("softhsm"))
