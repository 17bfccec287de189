"""The home page reads its statements' rows by position (portal.agreements.home: named tuples
and unpacking, not a Row's look-up by name): each statement's columns are in the order read."""

from itertools import product

from portal.agreements import home


def test_the_lists_rows_are_read_in_their_statements_order():
    for admin, by_state, by_text in product((False, True), repeat=3):
        page, _count = home._list_queries(admin, by_state, by_text)
        assert tuple(page.selected_columns.keys()) == home.Listed._fields


def test_the_waiting_documents_are_read_in_their_statements_order():
    assert tuple(home._documents_query().selected_columns.keys()) == home.Waited._fields


def test_the_standings_are_unpacked_in_their_statements_order():
    columns = tuple(home._standings_query().selected_columns.keys())
    assert columns == (
        *("document_id", "organisation_id", "signed", "approved", "parties", "signed_n", "approved_n"),
        *("unsigned_rank", "unapproved_rank", "name", "name_sv"),
    )
    assert home.Named._fields[-2:] == ("unsigned_rank", "unapproved_rank")  # the *ranks
