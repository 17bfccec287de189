"""What the benchmarks share: a fresh portal (its own data folder and database, migrated, with
its CA and seal), CPU timing, raw pyHanko signing and figures. Imports neither the tests nor
pytest, so every bench runs from a plain `./dev.sh demo` install."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def new_database(base_url: str | None, folder: str) -> str:
    """SQLite in `folder` (base_url None or sqlite), else a new PostgreSQL database on the
    server of `base_url`."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if base_url is None or make_url(base_url).get_backend_name() == "sqlite":
        return f"sqlite:///{folder}/portal.db"
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"sopu_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def fresh_portal(database_url: str | None = None) -> Iterator[Any]:
    """A portal app of its own (development settings, a temporary data folder), migrated, with
    its CA and document seal; inside its app context. The folder and the PostgreSQL database are
    removed after."""
    folder = tempfile.mkdtemp(prefix="sopu-bench-")
    url = new_database(database_url, folder)
    os.environ.update(PORTAL_ENV="development", PORTAL_DATA_DIR=folder, PORTAL_DATABASE_URL=url)
    from flask_migrate import upgrade

    from portal import create_app
    from portal.authority.services import ensure_authority
    from portal.extensions import db

    app = create_app({"PORTAL_JOBS_INLINE": ""})
    try:
        with app.app_context():
            upgrade()
            ensure_authority(db.session, app.config["PORTAL_KEY_ENCRYPTION_KEY"])
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(url)
        shutil.rmtree(folder, ignore_errors=True)


def cpu_ms(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """func's result and the CPU time (this process, all threads) it took, ms."""
    started = time.process_time()
    result = func(*args, **kwargs)
    return result, (time.process_time() - started) * 1000


def wall_ms(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


class RawSigner:
    """Stock pyHanko signing an existing field (PAdES, SHA-256, pyHanko's own default stamp),
    with a key of the same kind as the portal's and, when given, the same timestamper (an RFC
    3161 signature timestamp, PAdES B-T): the yardstick a portal signature is held to. The key is
    opened once; pyHanko estimates the signature's size itself (a dummy CMS) as it does by
    default."""

    def __init__(self) -> None:
        import signing
        from signing.pades import simple_signer

        ca_key, ca_cert = signing.create_authority("Bench CA", "Bench")
        key, cert = signing.issue_certificate(
            ca_key,
            None,
            ca_cert,
            person_name="Raaka Pyhanko",
            organisation="Vertailukunta",
            business_id="0000000-0",
            email="raaka@example.invalid",
        )
        self.signer = simple_signer(signing.SignerKey(key, None, cert, (ca_cert,)))

    def sign(self, pdf: bytes, field_name: str, timestamper: Any = None) -> bytes:
        import io

        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        meta = PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES
        )
        signer = PdfSigner(meta, self.signer, timestamper=timestamper)
        return bytes(signer.sign_pdf(writer, existing_fields_only=True).getvalue())


def blocks(values: Sequence[float], size: int) -> list[tuple[int, int, float]]:
    """(first k, last k, median) of each block of `size` consecutive values (k from 1)."""
    return [
        (start + 1, min(start + size, len(values)), statistics.median(values[start : start + size]))
        for start in range(0, len(values), size)
    ]


def slope(values: Sequence[float]) -> float:
    """The least-squares slope of values against k = 1..n (ms per signature already made)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_k, mean_v = (n + 1) / 2, statistics.fmean(values)
    num = sum((k - mean_k) * (v - mean_v) for k, v in enumerate(values, start=1))
    den = sum((k - mean_k) ** 2 for k in range(1, n + 1))
    return num / den


# -- the material the benches used to borrow from the tests -------------------------------------

#: a compatible Finnish annex agreement of Tampere, Nokia and the wellbeing services county
FI_ANNEX = """Liitesopimus hyvinvoinnin ja terveyden edistämisestä
Tämä liitesopimus on Pirkanmaan kuntien, hyvinvointialueen ja maakunnan liiton puitesopimuksen liite.
Sopimuksen osapuolet ovat Tampereen kaupunki, Nokian kaupunki ja Pirkanmaan hyvinvointialue.
Tampereen kaupungin ja Nokian kaupungin liikuntapalvelut toimivat yhdessä Nokialla ja Tampereella.
Sopimus toteuttaa puitesopimuksen tavoitetta 1 Hyvinvoinnin ja terveyden edistäminen.
Kukin osapuoli vastaa omista kuluistaan.
Sopimuksen irtisanomisaika on kaksitoista (12) kuukautta.
Tästä sopimuksesta johtuvat erimielisyydet ratkaistaan ensin neuvottelemalla ja muutoin hallinto-oikeudessa.
"""


def demo_ids() -> dict[str, str]:
    """The demo parties' synthetic business IDs by slug ("tampere": "...")."""
    from portal.demo.data import PARTIES, synthetic_business_ids

    ids = synthetic_business_ids(len(PARTIES))
    return {slug: business_id for (slug, *_), business_id in zip(PARTIES, ids, strict=True)}


def pirkanmaa() -> Any:
    """The demo main agreement as the compatibility checks read it: 25 parties, nine goals, 12
    months' notice, disputes negotiated, then the administrative court or a general court."""
    from portal.checks import Goal, MainAgreement, Party
    from portal.demo.data import GOALS, PARTIES, TITLE

    ids = demo_ids()
    parties = tuple(Party(name, ids[slug], (swedish,)) for slug, name, swedish, *_ in PARTIES)
    goals = tuple(Goal(n, title) for n, (title, _) in enumerate(GOALS, start=1))
    return MainAgreement(
        parties=parties, goals=goals, notice_months=12, valid_until=None, dispute_forum="courts", title=TITLE
    )


def sleep_forever() -> None:
    """A worker that overruns any limit (for run_isolated)."""
    time.sleep(600)


def _pack(bits: list[int]) -> bytes:
    out = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        out[i // 8] |= bit << (i % 8)
    return bytes(out)


def _code(value: int, width: int) -> list[int]:  # Huffman codes: most significant bit first
    return [(value >> (width - 1 - i)) & 1 for i in range(width)]


def zlib_bomb(inflated_size: int) -> bytes:
    """A zlib stream of zeros inflating to about `inflated_size` bytes, built directly from
    fixed-Huffman codes ("repeat 258 bytes at distance 1"): 13 bytes per 2 KiB."""
    repeat = _code(0b11000101, 8) + _code(0, 5)  # length 258 (symbol 285), distance 1
    units = max(1, inflated_size // (258 * 8))
    head = _pack([1, 1, 0] + _code(0x30, 8) + repeat)  # last block, fixed codes, literal 0
    tail = _pack(_code(0, 7))  # end of block
    size = 1 + 258 * (1 + 8 * units)
    adler = (((size % 65521) << 16) | 1).to_bytes(4, "big")
    return b"\x78\x01" + head + _pack(repeat * 8) * units + tail + adler


def bomb_pdf(inflated_size: int) -> bytes:
    """A one-page PDF whose content stream is zlib_bomb(inflated_size)."""
    import io

    import pikepdf
    from reportlab.lib.pagesizes import A4

    document = pikepdf.new()
    page = document.add_blank_page(page_size=A4)
    stream = pikepdf.Stream(document, b"")
    stream.write(zlib_bomb(inflated_size), filter=pikepdf.Name.FlateDecode)
    page.obj.Contents = stream
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
