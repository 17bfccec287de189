"""Accuracy of the compatibility checks on the labelled corpus (tests/corpus/*.toml): every item
typeset as a real PDF (or a committed fixture PDF), its text extracted in the isolated worker
(portal.checks.extract_pages), every check run against the demo main agreement, the flags scored
against the item's labels.

Run from the repository root (a plain install will do: no pytest needed):
    .venv/bin/python bench/bench_checks_accuracy.py [--verbose]
Prints precision and recall per check and language, the blockers missed and every confusion case
by name; asserts nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.checks import extract_pages, run_checks  # noqa: E402
from tests.corpus.loader import annex_of, items, outcome, pirkanmaa, render, scores  # noqa: E402


def main() -> None:
    verbose = "--verbose" in sys.argv
    corpus = items()
    agreement = pirkanmaa()
    started = time.perf_counter()
    results = []
    for item in corpus:
        pdf = render(item)
        annex = annex_of(item, extract_pages(pdf))
        results.append(outcome(item, run_checks(agreement, annex)))
    elapsed = time.perf_counter() - started
    languages = sorted({i.language for i in corpus})
    print(
        f"corpus: {len(corpus)} items ("
        + ", ".join(f"{sum(i.language == lang for i in corpus)} {lang}" for lang in languages)
        + f"), {elapsed:.1f} s to render, extract and check"
    )
    print(f"{'check':<16}{'lang':<6}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for (code, language), score in scores(results).items():
        print(
            f"{code:<16}{language:<6}{score.tp:>5}{score.fp:>5}{score.fn:>5}"
            f"{score.precision:>11.2f}{score.recall:>8.2f}"
        )
    missed = [(r.item.name, f) for r in results for f in r.fn if f[1] == "blocker"]
    print(f"blockers missed: {len(missed)}")
    failed = [r for r in results if not r.passed]
    print(f"items passing: {len(results) - len(failed)} of {len(results)}")
    for result in failed:
        missing = ", ".join(" ".join(f) for f in sorted(result.fn))
        extra = ", ".join(" ".join(f) for f in sorted(result.fp))
        print(
            f"  {result.item.name}: "
            + (f"missed [{missing}]" if missing else "")
            + (" " if missing and extra else "")
            + (f"wrongly raised [{extra}]" if extra else "")
        )
        if verbose:
            print(f"      text: {' '.join(result.item.text.split())[:160]}")


if __name__ == "__main__":
    main()
