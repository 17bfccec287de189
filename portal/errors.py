class PortalError(Exception):
    """A refusal a user can act on: `code` names the message in portal.messages."""

    def __init__(self, code: str, status: int = 400, **params):
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params


class RecordedRefusal(PortalError):
    """A refusal that recorded why (an audit event, flushed before raising): the error handler
    commits that record instead of rolling it back. The service changed nothing else."""
