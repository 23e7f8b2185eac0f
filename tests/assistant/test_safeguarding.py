"""Reading a question as a safeguarding case description (assistant/safeguarding.py):
which descriptions read as harm to a child, which read as a child at immediate
risk, and which questions that share a word with them do not.

The descriptions in data/safeguarding_cases.jsonl were written for these tests
(none is from the eval sets); each is labelled with whether a child reads as
in danger now."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.routes import load_signposts, signpost
from assistant.safeguarding import is_route, read_case
from vectorstore.places import load_places

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "safeguarding_cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def test_there_are_enough_cases():
    assert len(CASES) >= 30
    assert sum(c["immediate_risk"] for c in CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:50])
def test_a_case_description_reads_as_safeguarding(case):
    reading = read_case(case["text"])
    assert reading.safeguarding
    assert reading.immediate_risk == case["immediate_risk"]
    assert reading.search  # child protection wordings to search with


@pytest.mark.parametrize("text", [
    "restrictive physical intervention policy",  # shares "physical" with physical abuse
    "which chapter covers placements with parents?",
    "court disclosure of information protocol",
    "adult safeguarding section 42 enquiry for a vulnerable adult",
    "who do I notify when a child dies?",
    "how often must a pet risk assessment be reviewed?",
    "what is the mileage rate for foster carers?",
    "the bruising protocol - does it apply to twins?",  # names a document: found by search, not routed
    "FGM procedure",
    "staying put for a 19 year old",
])
def test_questions_that_only_share_a_word_are_not_case_descriptions(text):
    assert not read_case(text).safeguarding


@pytest.mark.parametrize("text", [
    "physical abuse",
    "what do I do if a child discloses abuse?",
    "child hit by parent",
])
def test_the_issue_app_questions_read_as_safeguarding(text):
    reading = read_case(text)
    assert reading.safeguarding and not reading.immediate_risk


def test_routes_are_child_protection_procedures_not_chapters_sharing_a_word():
    harms = read_case("child hit by parent").harms
    for title in ("Section 47 Enquiries", "Contacts and Referrals", "Strategy Discussions",
                  "Making a Referral to Social Care", "Child Protection Enquiries (Section 47)"):
        assert is_route(title, harms), title
    for title in ("Placements with Parents", "Restraint and Physical Intervention", "Child Protection Conferences",
                  "Protocol and Good Practice Model: Disclosure of Information in Cases of Alleged Child Abuse"):
        assert not is_route(title, harms), title
    assert is_route("Neglect", read_case("the kids are always hungry and left home alone").harms)
    assert not is_route("Neglect", harms)  # a harm's own chapter only for that harm


def test_the_default_signpost_names_no_council():
    text = signpost(["one", "two"], {})
    assert "999" in text
    places = load_places()
    assert places.mentioned(text) == []
    manuals = load_signposts()["manual"]
    assert not any(m.lower() in text.lower() for m in manuals)


def test_a_manual_with_a_route_gets_its_own_signpost():
    # the fixture manual's route, copied from its contacts chapter (tests/fixtures/sites/brackenshire)
    text = signpost(["brackenshire"], {"brackenshire": "Brackenshire"})
    assert text.startswith("**If a child is in immediate danger, call the police on 999.**")
    assert "CADS on 01632 960100" in text and "01632 960999" in text
