"""Outgoing mail: an outbox written in the transaction of the change, drained by `portal worker`."""
