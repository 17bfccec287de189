"""Memberships: the roles a person holds, each in one agreement for one of its parties."""
