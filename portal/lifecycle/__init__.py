"""The agreement's life after entry into force: termination, dissolution, the council terms."""
