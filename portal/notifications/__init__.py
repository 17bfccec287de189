"""What is waiting for each user: a notification per event, by mail (the outbox) and in the portal."""
