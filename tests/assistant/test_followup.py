"""Place-only follow-ups rewritten over the previous question."""
import pytest

from assistant.followup import place_only, rewrite_follow_up
from assistant.question import analyse
from ingest.manifest import load_manifest
from vectorstore.settings import REPO_ROOT

MANUALS = list(load_manifest(REPO_ROOT / "data" / "manuals").manuals.values())


def previous(text):
    return analyse(text, MANUALS)


@pytest.mark.parametrize("follow_up, expected", [
    ("and in Rotherham?", "Which chapter covers Staying Put in Rotherham?"),
    ("what about Leicestershire", "Which chapter covers Staying Put in Leicestershire?"),
    ("Rotherham?", "Which chapter covers Staying Put in Rotherham?"),
    ("and for Derby City then?", "Which chapter covers Staying Put in Derby City?"),
])
def test_a_place_only_follow_up_is_the_previous_question_there(follow_up, expected):
    assert rewrite_follow_up(follow_up, previous("Which chapter covers Staying Put?"), MANUALS) == expected


def test_the_previous_place_is_replaced_not_added():
    asked = rewrite_follow_up("and in Rotherham?", previous("staying put in Derby City?"), MANUALS)
    assert asked == "staying put in Rotherham?"
    assert analyse(asked, MANUALS).manual_ids == frozenset({"rotherham"})


@pytest.mark.parametrize("text", ["and in Rotherham, who pays for it?", "what about missing children?",
                                  "staying put in Rotherham", "thanks"])
def test_anything_more_than_a_place_is_asked_as_typed(text):
    assert rewrite_follow_up(text, previous("Which chapter covers Staying Put?"), MANUALS) is None


def test_no_previous_question_means_no_rewrite():
    assert rewrite_follow_up("and in Rotherham?", None, MANUALS) is None
    assert place_only("and in Rotherham?", MANUALS) and not place_only("missing in Rotherham", MANUALS)
