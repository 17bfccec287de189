from dataclasses import replace
from datetime import datetime, timedelta

from portal.audit.domain import GENESIS_HASH, Link, first_broken_link, link_hash, payload_digest


def chain(n: int) -> list[Link]:
    links, prev = [], GENESIS_HASH
    start = datetime(2026, 11, 1, 12, 0)
    for seq in range(1, n + 1):
        payload = {"n": seq, "name": "Päivi"}
        digest = payload_digest(payload)
        at = start + timedelta(minutes=seq)
        h = link_hash(prev, seq, at, "signature", 7, 1, digest)
        links.append(Link(seq, at, "signature", 7, 1, digest, prev, h, payload))
        prev = h
    return links


def test_an_intact_chain_holds():
    assert first_broken_link(chain(5)) is None
    assert first_broken_link([]) is None


def test_a_changed_payload_is_found():
    links = chain(5)
    links[2] = replace(links[2], payload={"n": 3, "name": "Pekka"})
    assert first_broken_link(links) == (3, "payload does not match its digest")


def test_a_changed_field_breaks_the_hash():
    links = chain(5)
    links[1] = replace(links[1], kind="approval")
    assert first_broken_link(links)[0] == 2


def test_a_removed_event_is_a_gap():
    links = chain(5)
    del links[3]
    assert first_broken_link(links)[0] == 5


def test_an_erased_payload_keeps_the_chain_verifiable():
    links = chain(5)
    links[2] = replace(links[2], payload=None, payload_erased=True)
    assert first_broken_link(links) is None
