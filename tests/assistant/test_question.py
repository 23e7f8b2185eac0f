"""Reading a question once: chapter numbers, scope, intent, dates, flags and
the topic words left to search with."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from vectorstore.glossary import lookup
from assistant.question import Lookup, Question, analyse
from ingest.manifest import load_manifest
from vectorstore.lexical import tokenize
from vectorstore.settings import REPO_ROOT

MANUALS = list(load_manifest(REPO_ROOT / "data" / "manuals").manuals.values())


def ask(text: str, manual: str | None = None) -> Question:
    return analyse(text, MANUALS, manual)


def toks(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


# -- chapter numbers ----------------------------------------------------------

@pytest.mark.parametrize("text, numbers", [
    ("what is 6.7.6 in Derby City?", ("6.7.6",)),
    ("what's chapter 7.10?", ("7.10",)),
    ("Leicestershire 1.2.1a", ("1.2.1a",)),
    ("leicestershire 1.2.1C", ("1.2.1c",)),  # lower-cased
    ("rotherham 5.1.8", ("5.1.8",)),
    ("5.3.3", ("5.3.3",)),
    ("chapter 1.1.1", ("1.1.1",)),
    ("Leics 1.6.5 - what is it?", ("1.6.5",)),
    ("(6.7.6)", ("6.7.6",)),
    ("see chapter 6.7.6, please", ("6.7.6",)),
    ("compare 2.6 and 6.7.6", ("2.6", "6.7.6")),
    ("2.6 or 2.6 again", ("2.6",)),  # once each
])
def test_chapter_numbers(text, numbers):
    q = ask(text)
    assert q.numbers == numbers
    assert q.intent == Lookup.NUMBER


@pytest.mark.parametrize("text", [
    "16 year old turned up at reception saying he's homeless",
    "abuse between young people (16 and 17 years)",
    "what changed in July 2020?",
    "were there any changes to S47 enquiries in 2017?",
    "a meeting on 12.03.2021",  # a date, not a chapter
    "section 117 aftercare",
    "homeless 17yo rotherham",
    "version 1.2.3.4.5",  # more levels than any manual uses
    "IP address 192.168.1.1",
])
def test_not_chapter_numbers(text):
    assert ask(text).numbers == ()


@pytest.mark.parametrize("text, number", [("Tell me about 7.10.", "7.10"), ("What is Leicestershire 1.2.1a.", "1.2.1a"),
                                          ("It's 6.7.6. Or is it?", "6.7.6")])
def test_a_number_ending_a_sentence(text, number):
    assert ask(text).numbers == (number,)


def test_numbers_inside_a_place_name_are_not_read():
    # the number is read from the question with place names removed
    q = ask("Derby City 8.18")
    assert q.numbers == ("8.18",)
    assert q.manual_ids == frozenset({"derby-city", "ddscp"})


# -- intents ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "what changed in Child Protection Conferences in 2021?",
    "when was the Honour Based Abuse procedure added?",
    "what was the latest change to the referral chapter?",
    "most recent FGM update?",
    "when was the self-harm guidance last updated?",
    "when did the CSE procedure get broadened into CRE?",
    "were any new chapters added in January 2021?",
    "which chapters were removed?",
    "has the IRO chapter been amended?",
    "what was revised?",
    "what happened in September 2019 - something about the safeguarding boards?",  # a month alone
])
def test_changes_intent(text):
    assert ask(text).intent == Lookup.CHANGES


@pytest.mark.parametrize("text", [
    "which chapter covers Staying Put?",
    "kids missing from home — Rotherham",
    "what is the mileage rate?",
    "within what timescale must permanence plans be made in Derbyshire?",
    "16 year old turned up at reception saying he's homeless - Derby City",
])
def test_search_intent(text):
    assert ask(text).intent == Lookup.SEARCH


def test_a_number_outranks_change_words():
    q = ask("what changed in 6.7.6?")
    assert q.intent == Lookup.NUMBER
    assert q.numbers == ("6.7.6",)


# -- dates --------------------------------------------------------------------

@pytest.mark.parametrize("text, month, year", [
    ("what changed in July 2020?", "2020-07", "2020"),
    ("what changed in october 2021?", "2021-10", "2021"),
    ("what new chapters came in december 2014?", "2014-12", "2014"),
    ("changes in Jul 2020", "2020-07", "2020"),
    ("changes in Dec. 2015", "2015-12", "2015"),
    ("what changed in Child Protection Conferences in 2021?", None, "2021"),
    ("forced marriage changes in 2018?", None, "2018"),
    ("latest FGM update", None, None),
])
def test_month_and_year(text, month, year):
    q = ask(text)
    assert (q.month, q.year) == (month, year)


def test_sept_is_september():
    q = ask("what changed in Sept 2020?")
    assert q.month == "2020-09"
    assert "sept" not in q.topic_tokens


def test_dates_are_not_topic_words():
    q = ask("what changed in Child Protection Conferences in July 2021?")
    assert "2021" not in q.topic_tokens
    assert "juli" not in q.topic_tokens and "july" not in q.topic_tokens
    assert q.topic_tokens == toks("Child Protection Conferences")


# -- latest / first / new / removed -----------------------------------------------

@pytest.mark.parametrize("text, latest, first", [
    ("what was the latest change to the referral chapter?", True, False),
    ("most recent change to the children at risk of exploitation procedure?", True, False),
    ("when was the self-harm guidance last updated?", True, False),
    ("when was the Honour Based Abuse procedure added?", False, True),
    ("when did the radicalisation and violent extremism chapter first get added?", False, True),
    ("when was the safe sleeping guidance introduced?", False, True),
    ("what changed in Child Protection Conferences in 2021?", False, False),
])
def test_latest_and_first(text, latest, first):
    q = ask(text)
    assert (q.latest, q.first) == (latest, first)


@pytest.mark.parametrize("text, change", [
    ("were any new chapters added in January 2021?", "new"),
    ("what new procedures came in 2018?", "new"),
    ("which chapters were removed?", "removed"),
    ("was anything withdrawn in 2019?", "removed"),
    ("what changed in July 2020?", None),
    ("latest update to the radicalisation guidance?", None),
])
def test_change_kind(text, change):
    assert ask(text).change == change


# -- topic words ----------------------------------------------------------------------

def test_topic_drops_frame_words():
    assert ask("which chapter covers Staying Put?").topic_tokens == toks("Staying Put")
    assert ask("is there anything on foster carers who own dogs?").topic_tokens == toks("foster carers own dogs")
    assert ask("what was the latest change to the referral chapter?").topic_tokens == toks("referral")


def test_topic_drops_place_names():
    q = ask("which chapter covers Staying Put in Derby City?")
    assert q.topic_tokens == toks("Staying Put")
    assert ask("Rotherham's staying put").topic_tokens == toks("staying put")
    assert ask("leics pathway for a pregnant teenager").topic_tokens == toks("pathway pregnant teenager")


def test_topic_drops_numbers():
    assert ask("what is 6.7.6 in Derby City?").topic_tokens == ()
    assert ask("rotherham 5.1.8 matching matrix").topic_tokens == toks("matching matrix")


def test_topic_words_once_each():
    q = ask("care leaver care leaver")
    assert len(q.topic_tokens) == len(set(q.topic_tokens))


def test_has_topic():
    assert ask("staying put").has_topic
    assert not ask("what changed in July 2020?").has_topic
    assert not ask("what was the most recent update?").has_topic


def test_naming_a_manual_after_the_topic_keeps_the_words_its_name_shares():
    # "Derby City Children's Social Care Procedures": "children" and "care" are the topic here
    q = ask("children in care Derby City")
    assert "care" in q.topic_tokens and "children" in q.topic_tokens


@pytest.mark.parametrize("text, kept", [
    ("Derby City children in care", ("children", "care")),
    ("Derby City care leavers", ("care", "leavers")),
    ("Derby children's centres", ("children", "centres")),
    ("Rotherham services for young carers", ("services", "young", "carers")),
])
def test_naming_a_manual_before_the_topic_keeps_the_words_its_name_shares(text, kept):
    q = ask(text)
    for word in kept:
        (token,) = toks(word)
        assert token in q.topic_tokens, (word, q.topic_tokens)
        assert word in q.search_text


# -- scope ------------------------------------------------------------------------------

def test_scope_from_the_question():
    assert ask("staying put rotherham").manual_ids == frozenset({"rotherham"})
    assert ask("Derby values and principles policy").manual_ids == frozenset({"derby-city", "ddscp", "derbyshire"})
    assert ask("staying put").manual_ids is None
    assert [p.lower() for p in ask("staying put rotherham").named_places] == ["rotherham"]


def test_a_place_named_in_the_question_wins_over_the_chosen_manual():
    q = ask("staying put in Derby City", manual="rotherham")
    assert (q.manual_ids, q.scope) == (frozenset({"derby-city", "ddscp"}), "named")  # the partnership covers the city
    assert ask("what is 6.7.6 in Leicestershire?", manual="rotherham").manual_ids == frozenset({"leicestershire"})


def test_the_chosen_manual_holds_where_the_question_names_none_or_names_it_ambiguously():
    q = ask("1.2.1a", manual="leicestershire")
    assert (q.manual_ids, q.scope) == (frozenset({"leicestershire"}), "chosen")
    q = ask("Derby values and principles policy", manual="derbyshire")  # "Derby" means three manuals
    assert (q.manual_ids, q.scope) == (frozenset({"derbyshire"}), "chosen")
    assert ask("staying put").scope == "all" and ask("staying put rotherham").scope == "named"


# -- glossary -------------------------------------------------------------------------

def test_search_text_adds_glossary_wordings_and_drops_places():
    q = ask("S47 enquiries rotherham")
    assert "section 47 enquiries" in q.search_text
    assert "rotherham" not in q.search_text.lower()


def test_alternatives_are_the_glossary_wordings_of_a_topic_word():
    q = ask("S47 enquiries rotherham")
    (key,) = toks("S47")
    assert key in q.topic_tokens
    assert set(q.alternatives[key]) == {toks(w) for w in lookup("S47").also}


def test_alternatives_of_a_multi_word_term():
    q = ask("which chapter covers Staying Put?")
    wordings = {toks(w) for w in lookup("Staying Put").also}
    for token in toks("Staying Put"):
        assert set(q.alternatives[token]) == wordings


def test_no_alternatives_without_glossary_terms():
    assert ask("is there anything on foster carers who own dogs?").alternatives == {}


# -- change questions read from their frame, not from one word ------------------------

WORDINGS = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "intent_wordings.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_the_wordings_file_is_large_and_varied():
    groups = {w["group"] for w in WORDINGS}
    assert len(WORDINGS) >= 300
    assert {"change", "change_word_content", "finding", "number", "flags"} <= groups


@pytest.mark.parametrize("wording", WORDINGS, ids=lambda w: w["text"][:60])
def test_intent_of_varied_wordings(wording):
    q = ask(wording["text"])
    assert q.intent.value == wording["intent"]
    if "flag" in wording:
        assert q.flag == wording["flag"]


@pytest.mark.parametrize("text", [
    "how often must a pet risk assessment be reviewed?",  # the example: "reviewed" asks about content
    "who reviews the care plan?",
    "new foster carer support",
    "who updates the chronology?",
])
def test_a_change_word_alone_does_not_make_a_change_question(text):
    q = ask(text)
    assert q.intent == Lookup.SEARCH
    assert q.flag is None  # "new"/"updated" are contents flags only when changes are asked about
