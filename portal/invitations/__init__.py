"""Invitations by mail: a person is invited to a party of an agreement with a role."""
