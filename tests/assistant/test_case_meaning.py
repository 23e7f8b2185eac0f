"""Reading a case description by meaning (assistant/case_meaning.py), with the
real embedding model: descriptions in words no safeguarding pattern lists
still read as harm to a child; case situations with no harm, and questions
about what a procedure says, do not.

The descriptions were written for this test (none is in case_examples.toml or
an eval set); the first check proves the patterns alone miss each of them."""
from __future__ import annotations

import pytest

from assistant.case_meaning import CaseRecogniser, load_examples
from assistant.safeguarding import load_vocabulary, read_case

HARM_IN_OTHER_WORDS = [
    "the lad's stepdad lays into him whenever he's had a drink",
    "the kids are skin and bone and the cupboards are always bare",
    "teenage girl is being passed around between grown men at parties",
    "little boy says his nan's partner makes him keep secrets about what happens in the bath",
]
NO_HARM = [
    "young person wants to stay on with her foster carers after she turns 18 while she finishes college",
    "foster carers are asking if they can take him to Spain in the summer holidays",
    "a 17 year old in care wants to get her nose pierced",
    "grandparents want to apply for special guardianship of their grandson",
]


@pytest.fixture(scope="module")
def cases(embedder):
    return CaseRecogniser(embedder).warm_up()


@pytest.mark.parametrize("text", HARM_IN_OTHER_WORDS)
def test_harm_in_words_no_pattern_lists_reads_as_safeguarding_by_meaning(text, cases):
    assert not read_case(text).safeguarding  # the patterns alone miss it
    reading = read_case(text, by_meaning=cases.harm)
    assert reading.safeguarding and reading.search, text


@pytest.mark.parametrize("text", NO_HARM)
def test_a_case_with_no_harm_does_not(text, cases):
    assert not read_case(text, by_meaning=cases.harm).safeguarding, text


@pytest.mark.parametrize("text", ["how many working days does a section 47 enquiry take?",
                                  "who should be invited to a strategy discussion about a bruised baby?"])
def test_a_question_about_what_a_procedure_says_is_never_read_by_meaning(text, cases):
    asked = []
    read_case(text, by_meaning=lambda t: asked.append(t) or "physical abuse")
    assert asked == []


def test_every_example_names_a_kind_of_harm_the_vocabulary_knows():
    known = {s.name for s in load_vocabulary().signals}
    assert set(load_examples().harms) <= known
    assert len(load_examples().others) >= 20
