class PortalError(Exception):
    """A refusal a user can act on: `code` names the message in portal.messages."""

    def __init__(self, code: str, status: int = 400, **params):
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params
