"""Scoring of the De Jong Gierveld scale and the participatieladder, every expectation worked out
by hand from DESIGN.md §2 (not from the code)."""

from __future__ import annotations

from typing import Any

import pytest

from nabij.people.instruments import (
    ITEMS_6,
    ITEMS_11,
    InstrumentError,
    ladder_movement,
    ladder_rung,
    normalise_answers,
    score_de_jong_gierveld,
    subscale_cutoffs,
)
from nabij.people.models import LadderRung, LonelinessCategory

MOM = "min of meer"

# The acceptance example of issue 4, item by item (E = emotional, negatively worded: lonely on
# ja / min of meer; S = social, positively worded: lonely on nee / min of meer):
#   1 S nee          → 1      7 S min of meer → 1
#   2 E min of meer  → 1      8 S ja          → 0
#   3 E nee          → 0      9 E min of meer → 1
#   4 S ja           → 0     10 E nee         → 0
#   5 E ja           → 1     11 S ja          → 0
#   6 E nee          → 0
# emotional = items 2, 5, 9 = 3; social = items 1, 7 = 2; total 5, in 3-8: matig eenzaam.
EXAMPLE_11 = ["nee", MOM, "nee", "ja", "ja", "nee", MOM, "ja", MOM, "nee", "ja"]


def test_the_issue_example_scores_5_matig() -> None:
    score = score_de_jong_gierveld(11, EXAMPLE_11)
    assert (score.total, score.emotional, score.social) == (5, 3, 2)
    assert score.category == LonelinessCategory.MODERATE == "matig eenzaam"
    assert score.answered == 11


@pytest.mark.parametrize(
    ("version", "answer", "total", "emotional", "social", "category"),
    [
        # 11 items: 6 emotional items count "ja", the 5 social ones do not.
        (11, "ja", 6, 6, 0, "matig eenzaam"),
        # 11 items: the 5 social items count "nee".
        (11, "nee", 5, 0, 5, "matig eenzaam"),
        # "min of meer" counts on every item: 11 of 11.
        (11, MOM, 11, 6, 5, "zeer ernstig eenzaam"),
        # 6 items: 3 emotional "ja" → 3, in 2-4: matig.
        (6, "ja", 3, 3, 0, "matig eenzaam"),
        # 6 items: 3 social "nee" → 3: matig.
        (6, "nee", 3, 0, 3, "matig eenzaam"),
        # 6 items, all "min of meer": 6, in 5-6: ernstig.
        (6, MOM, 6, 3, 3, "ernstig eenzaam"),
    ],
)
def test_all_the_same_answer(version: int, answer: str, total: int, emotional: int, social: int, category: str) -> None:
    score = score_de_jong_gierveld(version, [answer] * version)
    assert (score.total, score.emotional, score.social, score.category) == (total, emotional, social, category)


@pytest.mark.parametrize(
    ("total_lonely_items", "category"),
    [
        (0, "niet eenzaam"),
        (2, "niet eenzaam"),
        (3, "matig eenzaam"),
        (8, "matig eenzaam"),
        (9, "ernstig eenzaam"),
        (10, "ernstig eenzaam"),
        (11, "zeer ernstig eenzaam"),
    ],
)
def test_11_item_category_bands(total_lonely_items: int, category: str) -> None:
    # "min of meer" on the first n items and a not-lonely answer on the rest.
    answers = [MOM] * total_lonely_items + [
        "nee" if item.subscale == "emotional" else "ja" for item in ITEMS_11[total_lonely_items:]
    ]
    score = score_de_jong_gierveld(11, answers)
    assert score.total == total_lonely_items
    assert score.category == category


@pytest.mark.parametrize(
    ("lonely", "category"),
    [(0, "niet eenzaam"), (1, "niet eenzaam"), (2, "matig eenzaam"), (4, "matig eenzaam"), (5, "ernstig eenzaam")],
)
def test_6_item_category_bands(lonely: int, category: str) -> None:
    answers = [MOM] * lonely + ["nee" if item.subscale == "emotional" else "ja" for item in ITEMS_6[lonely:]]
    assert score_de_jong_gierveld(6, answers).category == category


def test_6_item_version_uses_its_own_published_order() -> None:
    # 1 leegte (E) nee → 0; 2 narigheid (S) nee → 1; 3 vertrouwen (S) nee → 1;
    # 4 mis mensen (E) ja → 1; 5 nauw verbonden (S) nee → 1; 6 in de steek gelaten (E) nee → 0.
    # total 4, emotional 1, social 3. In the 11-item order (3, 4, 7, 8, 9, 10) item 4 would be
    # social and item 5 emotional: total 2, which this test would catch.
    score = score_de_jong_gierveld(6, ["nee", "nee", "nee", "ja", "nee", "nee"])
    assert (score.total, score.emotional, score.social) == (4, 1, 3)
    assert [str(item.text) for item in ITEMS_6] == [
        "Ik ervaar een leegte om me heen.",
        "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
        "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
        "Ik mis mensen om me heen.",
        "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
        "Vaak voel ik me in de steek gelaten.",
    ]
    assert [item.subscale for item in ITEMS_6] == ["emotional", "social", "social", "emotional", "social", "emotional"]


def test_11_item_subscales_are_the_designs() -> None:
    assert [item.number for item in ITEMS_11 if item.subscale == "emotional"] == [2, 3, 5, 6, 9, 10]
    assert [item.number for item in ITEMS_11 if item.subscale == "social"] == [1, 4, 7, 8, 11]


def test_6_item_one_missing_answer_still_gives_a_total_over_the_answered_items() -> None:
    # 1 leegte (E) ja → 1; 2 narigheid (S) nee → 1; 3 vertrouwen (S) nee → 1; 4 mis mensen (E)
    # ja → 1; 5 nauw verbonden (S) nee → 1; 6 in de steek gelaten (E) missing.
    # Total over the 5 answered items: 5, in 5-6: ernstig. The emotional subscale misses item 6.
    score = score_de_jong_gierveld(6, ["ja", "nee", "nee", "ja", "nee", None])
    assert score.total == 5
    assert score.category == "ernstig eenzaam"
    assert score.emotional is None and score.emotionally_lonely is None
    assert score.social == 3
    assert score.answered == 5


def test_6_item_a_missing_social_item_leaves_the_emotional_subscale() -> None:
    # E: leegte nee 0, mis mensen nee 0, steek nee 0 → 0. S: narigheid missing → social missing.
    # Total over answered: 0 + (vertrouwen ja 0) + (nauw verbonden ja 0) = 0: niet eenzaam.
    score = score_de_jong_gierveld(6, ["nee", None, "ja", "nee", "ja", "nee"])
    assert (score.total, score.emotional, score.social, score.category) == (0, 0, None, "niet eenzaam")


def test_6_item_two_missing_answers_mean_no_total() -> None:
    score = score_de_jong_gierveld(6, ["ja", None, "nee", "ja", None, "ja"])
    assert score.total is None and score.category is None
    assert score.emotional == 3  # leegte, mis mensen, steek: all ja, all answered
    assert score.social is None


def test_11_item_a_missing_answer_means_no_total_but_keeps_the_other_subscale() -> None:
    answers: list[str | None] = list(EXAMPLE_11)
    answers[0] = None  # item 1 is social
    score = score_de_jong_gierveld(11, answers)
    assert score.total is None and score.category is None
    assert score.social is None
    assert score.emotional == 3


def test_empty_strings_count_as_missing_and_answers_ignore_case_and_spaces() -> None:
    assert normalise_answers(6, [" JA ", "Min of meer", "", None, "nee", "ja"]) == ["ja", MOM, None, None, "nee", "ja"]


def test_subscale_cutoffs_default_and_configurable(settings: Any) -> None:
    # The example: emotional 3, social 2. Default cut-off 2 for both: both lonely.
    score = score_de_jong_gierveld(11, EXAMPLE_11)
    assert (score.emotionally_lonely, score.socially_lonely) == (True, True)
    # Sources that ask for three unfavourable answers: social 2 is then not lonely.
    settings.NABIJ_LONELINESS_SUBSCALE_CUTOFFS = {11: {"social": 3}}
    assert subscale_cutoffs(11) == {"emotional": 2, "social": 3}
    score = score_de_jong_gierveld(11, EXAMPLE_11)
    assert (score.emotionally_lonely, score.socially_lonely) == (True, False)
    # A call may override them too, e.g. CBS's "enigszins of sterk" (1 or more) on the 6 items.
    score = score_de_jong_gierveld(6, ["ja", "ja", "ja", "nee", "ja", "nee"], cutoffs={"emotional": 1})
    # E: leegte ja 1, mis mensen nee 0, steek nee 0 → 1 ≥ 1. S: all ja → 0 < 2.
    assert (score.emotional, score.emotionally_lonely, score.social, score.socially_lonely) == (1, True, 0, False)


def test_a_subscale_cutoff_outside_the_subscale_is_refused(settings: Any) -> None:
    settings.NABIJ_LONELINESS_SUBSCALE_CUTOFFS = {6: {"social": 4}}  # the social subscale has 3 items
    with pytest.raises(ValueError, match="social"):
        score_de_jong_gierveld(6, ["ja"] * 6)


@pytest.mark.parametrize(
    ("version", "answers", "code", "fragment"),
    [
        (11, ["ja"] * 10, "wrong_count", "11 antwoorden nodig"),
        (6, ["ja"] * 11, "wrong_count", "6 antwoorden nodig"),
        (11, ["ja"] * 4 + ["misschien"] + ["ja"] * 6, "invalid_answer", "nummer 5"),
        (6, ["ja", "nee", 3, "ja", "nee", "ja"], "invalid_answer", "nummer 3"),
        (7, ["ja"] * 7, "invalid_version", "versie 11 of 6"),
        (True, ["ja"] * 6, "invalid_version", "versie 11 of 6"),
        (6, "ja,ja,ja,ja,ja,ja", "not_a_list", "lijst"),
    ],
)
def test_invalid_input_is_refused_in_dutch(version: object, answers: object, code: str, fragment: str) -> None:
    with pytest.raises(InstrumentError) as caught:
        score_de_jong_gierveld(version, answers)  # type: ignore[arg-type]
    assert fragment in caught.value.message
    assert [error["code"] for error in caught.value.errors] == [code]


def test_ladder_rungs() -> None:
    assert ladder_rung(1) == LadderRung.ISOLATED
    assert ladder_rung("6") == LadderRung.PAID_WORK
    assert ladder_movement(2, 4) == 2
    assert ladder_movement(5, 3) == -2
    for wrong in (0, 7, "drie", None, 2.5, True):
        with pytest.raises(InstrumentError):
            ladder_rung(wrong)
