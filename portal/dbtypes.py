from enum import StrEnum
from typing import Any

from sqlalchemy import ARRAY, Boolean, ColumnExpressionArgument, Integer, String, any_, bindparam, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class EnumString(TypeDecorator):
    """A StrEnum stored as its value in a plain VARCHAR (no database enum types to migrate),
    loaded back as the enum member so `status is Status.draft` holds."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 40):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)


class among(FunctionElement[bool]):  # noqa: N801 (an SQL construct, named as SQLAlchemy's own are)
    """`column IN (the ids)` with the ids bound as one parameter `name` (a list of integers):
    an array on PostgreSQL (`column = ANY(%(name)s)`), an expanding IN elsewhere. An expanding
    IN is rendered anew for every execution with one parameter an id, and makes a long
    statement longer than psycopg remembers its conversion of (4,096 characters)."""

    type = Boolean()
    inherit_cache = True
    name = "among"

    def __init__(self, column: ColumnExpressionArgument[int], name: str):
        super().__init__(column, bindparam(name, expanding=True))


@compiles(among)
def _among_in(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    return compiler.process(column.in_(ids), **kw)


@compiles(among, "postgresql")
def _among_any(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    # the same key: SQLAlchemy's statement cache matches the parameter by its key
    array = bindparam(ids.key, type_=ARRAY(Integer))
    return compiler.process(column == any_(array), **kw)


def kept_until_expired(model: type, key: str) -> None:
    """What a module keeps on a mapped object (its __dict__, under `key`, beside SQLAlchemy's own
    state) goes when the session expires or refreshes the object: a commit that wrote, a
    rollback, session.expire, as the object's loaded attributes do. The object may be gone
    already (None: SQLAlchemy holds it weakly)."""

    def forget(target: Any, *_event_args: Any) -> None:  # noqa: ANN401 (an instance of `model`)
        if target is not None:
            target.__dict__.pop(key, None)

    event.listen(model, "expire", forget)
    event.listen(model, "refresh", forget)
