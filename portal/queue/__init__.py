"""Work queues kept in the database (the job table, the mail outbox): rows written in the
transaction of the change that causes them, claimed by one worker among several, leased while it
works, finished, or failed and retried with backoff. domain.py holds the states and the retry rule,
models.py the mixin with the columns and the claim, views.py the administrators' page."""
