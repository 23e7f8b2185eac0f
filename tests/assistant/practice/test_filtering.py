"""The Browse filter: whole words, glossary wordings, number prefixes."""
import pytest

from assistant.practice.filtering import matches


@pytest.mark.parametrize("query, number, texts, expected", [
    ("LAC", "4.1.3", ["Decision to Look After"], False),
    ("LAC", "6.4.1", ["Social Worker Visits to Looked After Children"], True),
    ("LAC", "6.2", ["Placements in Secure Accommodation"], False),  # not "pLACements"
    ("LAC", "6.1", ["Children in Care Reviews"], True),
    ("S47", "4.5", ["Section 47 Enquiries"], True),
    ("s47", "1.2.9", ["Core Assessments (Including Section 47 Enquiries)"], True),
    ("staying put", "6.7.6", ["Staying Put Policy"], True),
    ("put", "6.7.6", ["Staying Put Policy"], True),
    ("pu", "6.7.6", ["Staying Put Policy"], False),  # parts of words don't match
    ("placement", "1.1", ["Placements with Parents"], True),
    ("6.7", "6.7.6", ["Staying Put Policy"], True),
    ("6.7", "6.70", ["x"], False),
    ("6.7.", "6.7.1", ["x"], True),
    ("6.7.", "6.7", ["x"], False),
    ("6.7", "6.7", ["x"], True),
    ("6.7", None, ["x"], False),
    ("consent", "1.1.4", ["Capacity and Consent", "Rotherham Guidance on Consent"], True),
    ("", "1.1", ["anything"], True),
])
def test_matches(query, number, texts, expected):
    assert matches(query, number, texts) is expected


def test_lac_on_the_sample_contents_finds_looked_after_titles_only(sample_assistant):
    found = [" ".join([e.title, *e.see_also]).lower() for e in sample_assistant.catalog.entries
             if matches("LAC", e.chapter, [e.title, *e.see_also])]
    assert len(found) >= 10
    assert all(any(w in text for w in ("looked after", "child in care", "children in care", "lac")) for text in found)
