"""The personal-data detector: what it flags, and ordinary questions it leaves alone."""
import pytest

from ui.privacy import find_personal_data, vocabulary, warning_text


def kinds(text, **kw):
    return {f.kind for f in find_personal_data(text, **kw)}


def test_name_dob_and_spaced_nhs_number():
    assert kinds("Jane Smith DOB 01/02/2015 NHS 943 476 5919") == {"date of birth", "NHS number"}


@pytest.mark.parametrize("text, kind", [
    ("born 3rd March 2016, what now?", "date of birth"),
    ("d.o.b. 1.2.15", "date of birth"),
    ("Jane Smith 01/02/2015 missing from care", "name and date"),
    ("NHS no 9434765919", "NHS number"),
    ("NHS 943-476-5919", "NHS number"),
    ("mum's mobile is 07700 900123", "phone number"),
    ("call +44 7700 900123", "phone number"),
    ("school on 0114 496 0000", "phone number"),
    ("lives at 12 Acacia Avenue", "address"),
    ("flat 3, DE1 2AB", "address"),
    ("email jo.bloggs@example.com", "email address"),
])
def test_flags(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "Which chapter covers Staying Put?",
    "What changed in Child Protection Conferences in 2021?",
    "What is 6.7.6 in Derby City?",
    "What changed in June 2021?",
    "Section 47 enquiries within 15 working days",
    "Child Protection Conference on 01/02/2021",
    "which team covers DE1 2AB?",
    "what is 1.1.10 in Derbyshire",
    "",
])
def test_ordinary_questions_pass(text):
    assert find_personal_data(text) == []


def test_words_of_titles_are_not_names():
    titles = vocabulary(["Sexual Exploitation", "Young People Leaving Care"])
    assert kinds("Sexual Exploitation 01/02/2021 changes") == {"name and date"}
    assert kinds("Sexual Exploitation 01/02/2021 changes", not_names=titles) == set()
    assert kinds("Jane Young 01/02/2015", not_names=titles) == {"name and date"}


def test_warning_names_what_was_found():
    text = warning_text(["NHS number", "date of birth", "NHS number"])
    assert "date of birth, NHS number" in text and "personal details" in text
