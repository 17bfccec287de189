"""Running health: when the worker last ran, what waits in the outbox and the job table, and a
warning when mail waits while nothing is delivered (/admin/health, /healthz)."""
