"""Which manuals a question means, from the place names in it.

The manuals and their place names come from the seed manifest
(data/manuals/manifest.toml): Derby City ["Derby City", "Derby"], DDSCP
["Derby and Derbyshire", "Derby", "Derbyshire", "Derby City", "DDSCP"] (the
partnership's procedures apply in both areas), Leicestershire
["Leicestershire County", "Leicestershire", "Leics"], Rotherham ["Rotherham"],
Derbyshire ["Derbyshire", "Derby"]."""
from __future__ import annotations

import pytest

from assistant.scoping import find_scope, short_name
from ingest.manifest import load_manifest
from vectorstore.settings import REPO_ROOT

MANUALS = load_manifest(REPO_ROOT / "data" / "manuals").manuals
ALL = list(MANUALS.values())


def scope_of(question: str):
    return find_scope(question, ALL)


def ids(question: str):
    found = scope_of(question).manual_ids
    return None if found is None else set(found)


def test_the_seed_manifest_defines_the_five_manuals():
    assert set(MANUALS) == {"derby-city", "ddscp", "leicestershire", "rotherham", "derbyshire"}


@pytest.mark.parametrize("question, expected", [
    # "Derby City" is Derby City's own manual and the partnership's, never Derbyshire's
    ("Staying Put in Derby City", {"derby-city", "ddscp"}),
    ("derby city 8.18", {"derby-city", "ddscp"}),
    ("DERBY CITY fostering", {"derby-city", "ddscp"}),
    # a bare "Derby" is every manual that may be meant, including Derbyshire by prefix
    ("Derby values and principles policy", {"derby-city", "ddscp", "derbyshire"}),
    ("derby 3.1.4", {"derby-city", "ddscp", "derbyshire"}),
    ("what does Rotherham's policy say?", {"rotherham"}),
    ("rotherham 5.1.8", {"rotherham"}),
    ("Leics - how long do we keep closed files?", {"leicestershire"}),
    ("pre birth assessment procedure in Leicestershire", {"leicestershire"}),
    ("Leicestershire County 1.2.1a", {"leicestershire"}),
    # the partnership's own name means the partnership only
    ("Derby and Derbyshire escalation policy", {"ddscp"}),
    ("DDSCP local contacts", {"ddscp"}),
    # "Derbyshire" is a place of both the partnership and Derbyshire, never Derby City
    ("Derbyshire permanence plans", {"ddscp", "derbyshire"}),
    ("Derbyshire's operating model", {"ddscp", "derbyshire"}),
    # a manual id works as a name
    ("derby-city 6.7.6", {"derby-city"}),
    # two places: both manuals
    ("Rotherham and Leics complaints", {"rotherham", "leicestershire"}),
])
def test_place_names_choose_manuals(question, expected):
    assert ids(question) == expected


@pytest.mark.parametrize("question", [
    "which chapter covers Staying Put?",
    "what is the mileage rate?",
    "chapter 1.1.1",
    "",
])
def test_no_place_means_every_manual(question):
    scope = scope_of(question)
    assert scope.manual_ids is None
    assert scope.named == ()


@pytest.mark.parametrize("question", [
    "Rothbury fostering",
    "Derbys policy",  # not a place name, and only a whole place word names a manual
    "Leicester City",  # "Leicester" begins "Leicestershire" but is not one of its place names
])
def test_near_misses_name_no_manual(question):
    assert ids(question) is None


def test_names_inside_other_words_do_not_count():
    assert ids("Derbyshire") == {"ddscp", "derbyshire"}  # not Derby City: "Derby" is inside the word
    assert ids("Rotherhamshire") is None


def test_rest_has_the_names_removed():
    scope = scope_of("which chapter covers Staying Put in Derby City?")
    assert "Derby" not in scope.rest and "City" not in scope.rest
    assert scope.rest.startswith("which chapter covers Staying Put in")
    assert scope.named == ("Derby City",)


def test_rest_of_possessive_and_abbreviation():
    assert scope_of("Rotherham's staying put policy").rest == "staying put policy"
    assert scope_of("Leics 6.3").rest == "6.3"
    assert scope_of("Derby City 8.18").rest == "8.18"


def test_rest_of_the_partnership_name_keeps_no_place_words():
    scope = scope_of("where do the Derby and Derbyshire procedures talk about the 'toxic trio'?")
    assert scope.manual_ids == frozenset({"ddscp"})
    assert "Derby" not in scope.rest
    assert "toxic trio" in scope.rest
    assert "talk about" in scope.rest


def test_rest_without_a_place_is_the_question():
    assert scope_of("which chapter covers Staying Put?").rest == "which chapter covers Staying Put?"


def test_rest_collapses_spaces():
    assert "  " not in scope_of("staying put   Rotherham   policy").rest


def test_short_names_are_the_first_place():
    assert short_name(MANUALS["derby-city"]) == "Derby City"
    assert short_name(MANUALS["ddscp"]) == "Derby and Derbyshire"
    assert short_name(MANUALS["leicestershire"]) == "Leicestershire County"
    assert short_name(MANUALS["rotherham"]) == "Rotherham"
    assert short_name(MANUALS["derbyshire"]) == "Derbyshire"


def test_short_name_without_places_is_the_name():
    from vectorstore.models import Manual

    assert short_name(Manual(id="x", name="Somewhere Procedures")) == "Somewhere Procedures"


# -- named but not loaded ----------------------------------------------------------------

@pytest.mark.parametrize("question, unloaded", [
    ("Bolton's private fostering procedure", ("Bolton",)),
    ("what does Kent County Council say about strategy discussions?", ("Kent",)),
    ("Oldham's LADO referral form", ("Oldham",)),
    ("staying put in Leicester", ("Leicester",)),  # Leicester City is not Leicestershire
    ("missing children procedure for Manchester", ("Manchester",)),
])
def test_a_council_that_is_not_loaded_is_named_as_such(question, unloaded):
    scope = scope_of(question)
    assert scope.unloaded == unloaded
    assert scope.manual_ids is None
    assert unloaded[0].lower() not in scope.rest.lower()  # not searched for as a topic word


@pytest.mark.parametrize("question", [
    "staying put in Derby", "Rotherham's staying put", "Derbyshire permanence plans", "Leics closed files",
    "Reading the staying put policy, when does it end?", "bath time safety for babies",
])
def test_loaded_places_and_ordinary_words_are_not_unloaded(question):
    assert scope_of(question).unloaded == ()


def test_a_loaded_and_an_unloaded_council_keeps_the_loaded_one():
    scope = scope_of("Rotherham and Bolton complaints")
    assert scope.manual_ids == frozenset({"rotherham"}) and scope.unloaded == ("Bolton",)
