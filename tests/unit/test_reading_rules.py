"""The reading rules of portal.documents.domain: which version a signature confirmed as read
may be given on, and the file names a title makes."""

import pytest

from portal.documents.domain import file_stem, read_version_refusal, unicode_stem


@pytest.mark.parametrize(
    ("read", "current", "refusal"),
    [
        (1, 1, None),
        (3, 3, None),
        (None, 2, None),  # the form did not say (the API, an older page): the checkbox alone
        (1, 2, "read_other_version"),  # a version uploaded after the page was opened
        (2, 1, "read_other_version"),
        (1, None, None),  # no version at all: nothing to compare (signing refuses elsewhere)
    ],
)
def test_read_version_refusal(read, current, refusal):
    assert read_version_refusal(read, current) == refusal


@pytest.mark.parametrize(
    ("title", "ascii_stem", "unicode"),
    [
        ("Yhteistyösopimus", "Yhteistyosopimus", "Yhteistyösopimus"),
        ("Samarbetsavtal för Åboland", "Samarbetsavtal-for-Aboland", "Samarbetsavtal-för-Åboland"),
        ("Liite 2: hinnat / 2027", "Liite-2-hinnat-2027", "Liite-2-hinnat-2027"),
        ('a"b\\c', "a-b-c", "a-b-c"),  # nothing that breaks a quoted header value
        ("---", "", ""),
        ("x" * 200, "x" * 80, "x" * 80),
    ],
)
def test_file_stems(title, ascii_stem, unicode):
    assert file_stem(title) == ascii_stem
    assert unicode_stem(title) == unicode
