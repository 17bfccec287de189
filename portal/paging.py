"""One page of a list that is read whole (a document's parties, an agreement's contacts, its
history): the page asked for (`?page=`), kept within the list."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import request


@dataclass(frozen=True)
class Paged:
    items: Sequence[Any]
    page: int
    pages: int
    total: int


def paged(items: Sequence[Any], page: int, size: int) -> Paged:
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    return Paged(items[(page - 1) * size : page * size], page, pages, len(items))


def page_arg() -> int:
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1
