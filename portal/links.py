"""The portal's addresses, for services that write them into mail and notifications: built from
the app's URL map by endpoint name (so no service writes a path by hand or reads the app), under
the portal's public base URL. appctx.links() makes the one of the running app."""

from dataclasses import dataclass

from werkzeug.routing import Map


@dataclass(frozen=True)
class Links:
    #: the portal's public address, e.g. https://sopu.example.fi
    base_url: str
    url_map: Map

    def agreement(self, agreement_id: int) -> str:
        return self._path("agreements.show", agreement_id=agreement_id)

    def document(self, document_id: int) -> str:
        return self._path("annexes.show", document_id=document_id)

    def document_pdf(self, document_id: int) -> str:
        return self._path("documents.download", document_id=document_id)

    def invitation(self, token: str) -> str:
        return self._path("invitations.accept", token=token)

    def profile(self) -> str:
        return self._path("profile.profile")

    def steering(self, agreement_id: int) -> str:
        return self._path("steering.index", agreement_id=agreement_id)

    def external(self, path: str) -> str:
        """The address of a path of the portal, for a mail."""
        return self.base_url.rstrip("/") + path

    def _path(self, endpoint: str, **values) -> str:
        return self.url_map.bind("localhost").build(endpoint, values)
