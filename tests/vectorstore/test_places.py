"""The local-authority place vocabulary (vectorstore/places.toml): which
mentions count as naming a council, and which ordinary words never do."""
from __future__ import annotations

import pytest

from vectorstore.places import load_places

PLACES = load_places()


def test_the_vocabulary_covers_many_authorities():
    assert len(PLACES.names) >= 150
    assert {"Bolton", "Oldham", "Kent", "Reading", "Bath and North East Somerset"} <= set(PLACES.names)


@pytest.mark.parametrize("text, places", [
    ("Bolton's private fostering procedure", ["Bolton"]),
    ("what does Kent County Council say about strategy discussion timescales?", ["Kent"]),
    ("oldham's LADO referral form", ["Oldham"]),  # a name that is no English word counts in any case
    ("staying put in North Yorkshire", ["North Yorkshire"]),  # the longer name, not a part of it
    ("stoke-on-trent fostering", ["Stoke-on-Trent"]),
    ("Bath and North East Somerset LADO", ["Bath and North East Somerset"]),
    ("What does Reading say about staying put?", ["Reading"]),  # capitalised inside a sentence
    ("Reading Borough Council LADO referral", ["Reading"]),  # first word, but with a council word
    ("compare Leeds and Sheffield on missing children", ["Leeds", "Sheffield"]),
])
def test_places_named(text, places):
    assert PLACES.mentioned(text) == places


@pytest.mark.parametrize("text", [
    "Reading the chapter on neglect, what is the toolkit?",  # a sentence's first word
    "I am reading about staying put",
    "bath time for a baby in a foster home",
    "the wells and the bath at the residential home",
    "hull of a boat",
    "can a foster carer keep a Staffordshire bull terrier?",  # after "a": not a place
    "private fostering bury",  # an ordinary word in lower case never counts, even where it could
    "who do I contact out of hours?",
])
def test_ordinary_words_are_not_places(text):
    assert PLACES.mentioned(text) == []


def test_known_places_are_skipped():
    assert PLACES.mentioned("staying put in Derby", known=["derby", "derbyshire"]) == []
    assert PLACES.mentioned("Derby fostering", known=["derby city"]) == []  # begins a loaded place's name
    assert PLACES.mentioned("Leicester fostering", known=["leicestershire"]) == ["Leicester"]  # another council
