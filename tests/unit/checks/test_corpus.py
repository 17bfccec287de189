"""Every item of the labelled corpus (tests/corpus/*.toml) through the real PDF text extraction
and every check: the findings it must raise are raised, the ones it must not are not. Unit tests:
no database, run once per CI run. bench/bench_checks_accuracy.py prints the same as figures."""

import pytest

from portal.checks import extract_pages, run_checks
from tests.corpus.loader import annex_of, items, outcome, pirkanmaa, render

MAIN = pirkanmaa()


@pytest.mark.parametrize("item", items(), ids=lambda item: item.name)
def test_corpus_item(item):
    pdf = render(item)
    flags = run_checks(MAIN, annex_of(item, extract_pages(pdf)))
    result = outcome(item, flags)
    said = [(f.code, str(f.severity), f.message) for f in flags if str(f.severity) != "ok"]
    assert not result.fn, f"missed {sorted(result.fn)}; raised {said}"
    assert not result.fp, f"wrongly raised {sorted(result.fp)}; raised {said}"


def test_the_corpus_is_labelled_in_both_languages():
    corpus = items()
    assert len({item.name for item in corpus}) == len(corpus)
    for language in ("fi", "sv"):
        labelled = {code for item in corpus if item.language == language for code in item.codes}
        assert {"parties", "disputes", "costs", "validity"} <= labelled
