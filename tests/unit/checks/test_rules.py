from dataclasses import replace
from datetime import date
from pathlib import Path

import pikepdf
import pytest

import portal.demo
from portal.checks import CHECKS, MESSAGES, Annex, Severity, run_checks, worst
from tests.unit.checks.conftest import ID, annex, pdf_of
from tests.unit.checks.texts import FI_GOOD, SV_GOOD, replaced
from tests.unit.signing import samples

THREE = (ID["tampere"], ID["nokia"], ID["pirha"])


def flags_of(main, document: Annex, code: str):
    return CHECKS[code](main, document)


def severities(flags) -> set[Severity]:
    return {f.severity for f in flags}


@pytest.fixture(scope="module")
def fi_good():
    return annex(FI_GOOD, parties=THREE, goals=(1,))


@pytest.fixture(scope="module")
def sv_good():
    return annex(SV_GOOD, language="sv", parties=THREE, goals=(1, 6))


@pytest.mark.parametrize("good", ["fi_good", "sv_good"])
def test_a_compatible_annex_agreement_is_ok_throughout(main, good, request):
    document = request.getfixturevalue(good)
    flags = run_checks(main, document)
    assert [f.code for f in flags] == list(CHECKS)
    assert worst(flags) == Severity.ok, [(f.code, f.message) for f in flags if f.severity]
    assert all(f.message_id in MESSAGES.values() for f in flags)


def test_severity_is_ordered():
    assert Severity.ok < Severity.info < Severity.warning < Severity.blocker
    assert max([Severity.info, Severity.blocker, Severity.ok]) == Severity.blocker


# -- 1. parties ---------------------------------------------------------------------------------


def test_inflected_party_names_count_as_named(main, fi_good, sv_good):
    assert flags_of(main, fi_good, "parties")[0].params["count"] == 3
    assert flags_of(main, sv_good, "parties")[0].params["count"] == 3


@pytest.mark.parametrize(
    ("language", "text", "outsider"),
    [
        (
            "fi",
            replaced(
                FI_GOOD,
                "Nokialla ja Tampereella.",
                "Nokialla ja Tampereella. Myös Helsingin kaupungin liikuntapalvelut osallistuvat.",
            ),
            "Helsingin kaupungin",
        ),
        (
            "sv",
            replaced(SV_GOOD, "samarbetar.", "samarbetar med Helsingfors stads idrottsverk."),
            "Helsingfors stads",
        ),
    ],
)
def test_an_outsider_organisation_is_a_blocker_with_evidence(main, language, text, outsider):
    flags = flags_of(main, annex(text, language=language, parties=THREE), "parties")
    [blocker] = flags
    assert blocker.severity == Severity.blocker and blocker.params["name"] == outsider
    assert blocker.evidence[0].page == 1 and outsider in blocker.evidence[0].text
    assert len(blocker.evidence[0].text) <= 200


@pytest.mark.parametrize(
    ("language", "text", "old", "new"),
    [
        (
            "fi",
            FI_GOOD,
            "Pirkanmaan hyvinvointialue.",
            f"Pirkanmaan hyvinvointialue ({ID['pirha']}) ja Yritys Oy (1234567-1).",
        ),
        (
            "sv",
            SV_GOOD,
            "Birkalands välfärdsområde.",
            f"Birkalands välfärdsområde ({ID['pirha']}) och Företag Ab (FO-nummer 1234567-1).",
        ),
    ],
)
def test_an_unknown_business_id_is_a_blocker(main, language, text, old, new):
    document = annex(replaced(text, old, new), language=language, parties=THREE)
    [blocker] = flags_of(main, document, "parties")
    assert blocker.code == "parties" and blocker.severity == Severity.blocker
    assert blocker.params == {"business_id": "1234567-1"}


def test_declared_parties_must_be_parties_of_the_main_agreement(main, fi_good):
    document = replace(fi_good, declared_parties=(*THREE, "1234567-1"))
    [blocker] = flags_of(main, document, "parties")
    assert blocker.severity == Severity.blocker
    assert blocker.message.startswith(
        "Declared party 1234567-1 is not a party of the main agreement. Upload a new version with"
    )


def test_an_annex_agreement_without_declared_parties_is_a_warning(main, fi_good):
    flags = flags_of(main, replace(fi_good, declared_parties=()), "parties")
    assert severities(flags) == {Severity.warning}
    assert severities(flags_of(main, replace(fi_good, kind="annex", declared_parties=()), "parties")) == {
        Severity.ok
    }


# -- 2. refers_to_main --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "old", "new"),
    [
        ("fi", FI_GOOD, "puitesopimuksen liite", "asiakirja"),
        ("sv", SV_GOOD, "ramavtalet mellan", "dokumentet mellan"),
    ],
)
def test_refers_to_main(main, language, text, old, new):
    ok = flags_of(main, annex(text, language=language), "refers_to_main")
    assert severities(ok) == {Severity.ok} and ok[0].evidence[0].page == 1
    stripped = replaced(text, old, new).replace("puitesopimuksen tavoitetta", "tavoitetta")
    stripped = stripped.replace(" i ramavtalet", "")
    missing = flags_of(main, annex(stripped, language=language), "refers_to_main")
    assert severities(missing) == {Severity.warning}


def test_the_main_agreements_title_counts_as_a_reference(main):
    text = (
        "Liite\nTämä liite koskee Pirkanmaan kuntien, hyvinvointialueen ja maakunnan liiton "
        "yhteistyörakenteiden ja toimintatapojen periaatteita."
    )
    assert severities(flags_of(main, annex(text, kind="annex"), "refers_to_main")) == {Severity.ok}


# -- 3. goals -----------------------------------------------------------------------------------


def test_goals_found_by_inflected_title_and_by_number(main, fi_good, sv_good):
    [ok] = flags_of(main, replace(fi_good, declared_goals=()), "goals")
    assert ok.severity == Severity.ok and ok.params["goals"] == "1"
    [ok] = flags_of(main, replace(sv_good, declared_goals=()), "goals")
    assert ok.params["goals"] == "1, 6"
    text = (
        "Liite\nLiite toteuttaa tiedolla johtamista ja varautumista ja valmiussuunnittelua "
        "puitesopimuksen mukaisesti."
    )
    [ok] = flags_of(main, annex(text, kind="annex"), "goals")
    assert ok.params["goals"] == "6, 7"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fi",
            replaced(
                replaced(
                    FI_GOOD,
                    "Sopimus toteuttaa puitesopimuksen tavoitetta 1 Hyvinvoinnin ja terveyden edistäminen.",
                    "",
                ),
                "hyvinvoinnin ja terveyden edistämisestä",
                "liikuntapalveluista",
            ),
        ),
        ("sv", replaced(SV_GOOD, "Avtalet genomför mål 1 och 6 i ramavtalet.", "")),
    ],
)
def test_no_goals_is_a_warning_and_declared_goals_not_in_text_info(main, language, text):
    document = annex(text, language=language, parties=THREE)
    assert severities(flags_of(main, document, "goals")) == {Severity.warning}
    flags = flags_of(main, replace(document, declared_goals=(2,)), "goals")
    assert severities(flags) == {Severity.info}
    assert flags[0].params == {"goal": 2, "title": "Työllistymisen tukeminen"}


def test_an_unknown_declared_goal_is_a_warning(main, fi_good):
    flags = flags_of(main, replace(fi_good, declared_goals=(1, 42)), "goals")
    assert severities(flags) == {Severity.warning} and flags[0].params == {"goal": 42}


# -- 4. validity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "old", "new", "months"),
    [
        ("fi", FI_GOOD, "kaksitoista (12) kuukautta", "6 kuukautta", 6),
        (
            "fi",
            FI_GOOD,
            "Sopimuksen irtisanomisaika on kaksitoista (12) kuukautta.",
            "Sopimuksen voi irtisanoa kuuden kuukauden irtisanomisajalla.",
            6,
        ),
        ("sv", SV_GOOD, "tolv månader", "sex månader", 6),
        ("sv", SV_GOOD, "Uppsägningstiden är tolv månader.", "Avtalet har tre månaders uppsägningstid.", 3),
    ],
)
def test_a_shorter_notice_period_is_a_warning(main, language, text, old, new, months):
    ok = flags_of(main, annex(text, language=language), "validity")
    assert severities(ok) == {Severity.ok}
    [warning] = flags_of(main, annex(replaced(text, old, new), language=language), "validity")
    assert warning.severity == Severity.warning
    assert warning.params == {"months": months, "main_months": 12}
    assert warning.evidence[0].page == 1


@pytest.mark.parametrize(
    ("language", "text", "clause"),
    [
        ("fi", FI_GOOD, "Sopimus on voimassa 31.12.2031 saakka."),
        ("sv", SV_GOOD, "Avtalet gäller till och med 31.12.2031."),
    ],
)
def test_validity_beyond_a_main_agreement_that_ends_is_a_warning(main, language, text, clause):
    document = annex(text + clause, language=language)
    assert severities(flags_of(main, document, "validity")) == {Severity.ok}  # main: indefinite
    ending = replace(main, valid_until=date(2030, 12, 31))
    [warning] = flags_of(ending, document, "validity")
    assert warning.severity == Severity.warning
    assert warning.params == {"until": "2031-12-31", "main_until": "2030-12-31"}
    assert severities(flags_of(replace(main, valid_until=date(2032, 1, 1)), document, "validity")) == {
        Severity.ok
    }


# -- 5. disputes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "old", "new", "key"),
    [
        ("fi", FI_GOOD, "hallinto-oikeudessa", "välimiesmenettelyssä", "disputes.arbitration"),
        ("fi", FI_GOOD, "hallinto-oikeudessa", "markkinaoikeudessa", "disputes.other_court"),
        ("sv", SV_GOOD, "i förvaltningsdomstolen", "genom skiljeförfarande", "disputes.arbitration"),
        ("sv", SV_GOOD, "i förvaltningsdomstolen", "i marknadsdomstolen", "disputes.other_court"),
    ],
)
def test_another_dispute_forum_is_a_warning(main, language, text, old, new, key):
    assert severities(flags_of(main, annex(text, language=language), "disputes")) == {Severity.ok}
    [warning] = flags_of(main, annex(replaced(text, old, new), language=language), "disputes")
    assert warning.severity == Severity.warning and warning.message_id == MESSAGES[key]
    assert new.split()[-1][:8] in warning.evidence[0].text


@pytest.mark.parametrize(
    ("language", "text", "clause"),
    [
        (
            "fi",
            FI_GOOD,
            "Tästä sopimuksesta johtuvat erimielisyydet ratkaistaan ensin neuvottelemalla "
            "ja muutoin hallinto-oikeudessa.",
        ),
        (
            "sv",
            SV_GOOD,
            "Tvister som gäller detta avtal löses i första hand genom förhandlingar och "
            "annars i förvaltningsdomstolen.",
        ),
    ],
)
def test_no_dispute_clause_is_info(main, language, text, clause):
    assert severities(flags_of(main, annex(text, language=language), "disputes")) == {Severity.ok}
    document = annex(replaced(text, clause, ""), language=language)
    assert severities(flags_of(main, document, "disputes")) == {Severity.info}


# -- 6. costs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "old", "new"),
    [
        (
            "fi",
            FI_GOOD,
            "Kukin osapuoli vastaa omista kuluistaan.",
            "Kustannukset jaetaan asukasluvun mukaan ja Tampereen kaupunki laskuttaa niistä.",
        ),
        (
            "fi",
            FI_GOOD,
            "Kukin osapuoli vastaa omista kuluistaan.",
            "Hyvinvointialue maksaa Nokialle 12 000 euroa vuodessa.",
        ),
        (
            "sv",
            SV_GOOD,
            "Varje part står för sina egna kostnader.",
            "Kostnaderna fördelas enligt invånarantal och faktureras två gånger per år.",
        ),
        ("sv", SV_GOOD, "Varje part står för sina egna kostnader.", "Avgiften är 5 000 € per år."),
    ],
)
def test_departing_from_own_costs_is_a_warning(main, language, text, old, new):
    assert severities(flags_of(main, annex(text, language=language), "costs")) == {Severity.ok}
    [warning] = flags_of(main, annex(replaced(text, old, new), language=language), "costs")
    assert warning.severity == Severity.warning
    assert warning.evidence and all(e.page == 1 for e in warning.evidence)


# -- 7. fit_to_sign -----------------------------------------------------------------------------


def with_javascript(pdf: bytes) -> bytes:
    def add(document: pikepdf.Pdf) -> None:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.Root.OpenAction = document.make_indirect(action)

    return samples.modified(pdf, add)


@pytest.mark.parametrize(("language", "text"), [("fi", FI_GOOD), ("sv", SV_GOOD)])
def test_javascript_is_a_blocker(main, language, text):
    document = annex(text, language=language, pdf=with_javascript(pdf_of(text)))
    [blocker] = flags_of(main, document, "fit_to_sign")
    assert blocker.severity == Severity.blocker
    assert blocker.message_id == MESSAGES["fit_to_sign.javascript"]
    assert worst(run_checks(main, document)) == Severity.blocker


@pytest.mark.parametrize(
    "fact", ["encrypted", "has_javascript", "has_launch_action", "has_embedded_files", "has_signatures"]
)
def test_each_unfit_fact_is_a_blocker(main, fi_good, fact):
    unfit = replace(fi_good, facts=replace(fi_good.facts, **{fact: True}))
    assert severities(flags_of(main, unfit, "fit_to_sign")) == {Severity.blocker}
    assert severities(flags_of(main, fi_good, "fit_to_sign")) == {Severity.ok}
    assert severities(flags_of(main, replace(fi_good, facts=None), "fit_to_sign")) == {Severity.info}


def test_checks_are_pure_functions_of_plain_values(main):
    document = Annex(kind="amendment", pages=("Muutos puitesopimukseen.",), language="fi")
    assert run_checks(main, document) == run_checks(main, document)


def test_the_demo_agreement_itself_names_only_its_own_parties(main):
    text = (Path(portal.demo.__file__).parent / "pirkanmaa.txt").read_text()
    document = Annex(kind="annex", pages=(text,), language="fi")
    [ok] = flags_of(main, document, "parties")
    assert ok.severity == Severity.ok and ok.params["count"] >= 20
    assert severities(flags_of(main, document, "refers_to_main")) == {Severity.ok}
    assert severities(flags_of(main, document, "validity")) == {Severity.ok}
    assert severities(flags_of(main, document, "disputes")) == {Severity.ok}


def test_one_flag_per_outsider_whatever_its_inflection(main):
    text = (
        "Liite\nHelsingin kaupunki osallistuu. Helsingin kaupungin edustaja ja Espoon kaupunki "
        "ovat mukana puitesopimuksen mukaisesti."
    )
    flags = flags_of(main, Annex(kind="annex", pages=("", text), language="fi"), "parties")
    assert [f.params["name"] for f in flags] == ["Helsingin kaupunki", "Espoon kaupunki"]
    assert [len(f.evidence) for f in flags] == [2, 1] and flags[0].evidence[0].page == 2


def test_a_sentence_is_quoted_once_however_often_it_matches(main):
    text = "Liite\n\nErimielisyydet ja riitatilanteet ratkaistaan neuvottelemalla. Muuta ei ole."
    [ok] = flags_of(main, annex(text), "disputes")
    assert ok.severity == Severity.ok and len(ok.evidence) == 1


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        (
            "fi",
            "Liite\nPorvoon kaupunki (1061512-1) osallistuu hankkeeseen. Porvoo vastaa tiloista.",
            "Porvoon kaupunki",
        ),
        (
            "sv",
            "Bilaga\nBorgå stad (FO-nummer 1061512-1) deltar i projektet. Borgå ansvarar för lokalerna.",
            "Borgå stad",
        ),
    ],
)
def test_an_outsider_named_by_business_id_and_name_is_one_blocker(main, language, text, name):
    [blocker] = flags_of(main, annex(text, language=language, kind="annex"), "parties")
    assert blocker.severity == Severity.blocker and blocker.params == {"name": name}
    assert len(blocker.evidence) == 2
    assert blocker.evidence[0].text.endswith(("hankkeeseen.", "projektet."))
