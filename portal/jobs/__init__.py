"""Background jobs: a table in the database, drained by `portal worker` (or run in-process in
development and tests), so that a long check never holds up a request."""
