"""Safeguarding routes through the whole chain, on real stores: case
descriptions reach the referral / strategy / section 47 chapters (or the
chapter for that harm) of the fixture sites, answers about a child at immediate
risk start with the manual's signpost, and the issue's three app failures on
the sample manuals are fixed. Expected chapters come from the fixture sites'
contents pages (tests/fixtures/sites/*/contents.html)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "safeguarding_cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
SIGNPOST = "**If a child is in immediate danger, call the police on 999.**"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:50])
def test_case_descriptions_reach_a_child_protection_route(sites_assistant, case):
    answer = sites_assistant.ask(case["text"], case["manual"])
    assert answer.citations, answer.answer
    first = answer.citations[0]
    assert (first.manual_id, first.chapter) in {(case["manual"], g) for g in case["gold"]}, first.title
    assert answer.answer.startswith(SIGNPOST) == case["immediate_risk"]


@pytest.mark.parametrize("question, wrong", [
    ("physical abuse", "physical intervention"),
    ("what do I do if a child discloses abuse?", "disclosure of information"),
    ("child hit by parent", "placements with parents"),
])
def test_the_issue_app_failures_on_the_samples(sample_assistant, question, wrong):
    answer = sample_assistant.ask(question)
    assert answer.citations
    first = answer.citations[0].title.lower()
    assert wrong not in first
    assert any(w in first for w in ("section 47", "child protection", "referral", "strategy")), first
    assert not answer.answer.startswith(SIGNPOST)  # a topic, not a child in danger now


@pytest.mark.parametrize("question, place", [
    ("Bolton's private fostering procedure", "Bolton"),
    ("what does Kent County Council say about strategy discussions?", "Kent"),
    ("Oldham's LADO referral form", "Oldham"),
])
def test_a_council_not_loaded_is_never_answered_from_others(sample_assistant, question, place):
    answer = sample_assistant.ask(question, manual="rotherham")  # a chosen manual does not overrule it
    assert not answer.grounded and not answer.citations
    assert answer.answer.startswith(f"No {place} manual is loaded here; the manuals loaded are ")
    for name in ("Derby City", "Leicestershire", "Rotherham"):
        assert name in answer.answer
