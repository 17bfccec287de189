"""Sopu: the agreement portal of Finnish public bodies.

Importing the package loads no Flask: the pure modules (every domain.py, portal.checks) stay
importable on their own. `portal.create_app` (as in `portal:create_app()`) is portal.app's."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.app import create_app as create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from portal.app import create_app

        return create_app
    raise AttributeError(f"module 'portal' has no attribute {name!r}")
