"""The portal's addresses, for services that write them into mail and notifications: built from
the app's URL map by endpoint name (so no service writes a path by hand or reads the app), under
the portal's public base URL. appctx.links() makes the one of the running app."""

from dataclasses import dataclass

from werkzeug.routing import BuildError, Map


@dataclass(frozen=True)
class Links:
    #: the portal's public address, e.g. https://sopu.example.fi
    base_url: str
    url_map: Map

    def agreement(self, agreement_id: int) -> str:
        return self._path(("agreements.show",), agreement_id=agreement_id)

    def document(self, document_id: int) -> str:
        return self._path(("documents.show", "annexes.show"), document_id=document_id)

    def document_pdf(self, document_id: int) -> str:
        return self._path(("documents.download", "agreements.download"), document_id=document_id)

    def external(self, path: str) -> str:
        """The address of a path of the portal, for a mail."""
        return self.base_url.rstrip("/") + path

    def _path(self, endpoints: tuple[str, ...], **values) -> str:
        """The path of the first endpoint the app has (a route may move between blueprints)."""
        adapter = self.url_map.bind("localhost")
        for endpoint in endpoints[:-1]:
            try:
                return adapter.build(endpoint, values)
            except BuildError:
                continue
        return adapter.build(endpoints[-1], values)
