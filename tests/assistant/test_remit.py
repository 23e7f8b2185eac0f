"""The out-of-remit topics (assistant/remit.toml) and matching a question to them,
with the real embedding model."""
from __future__ import annotations

import pytest

from assistant.remit import Remit, Topic, load_topics


def test_every_topic_says_where_to_ask_and_has_examples():
    topics = load_topics()
    assert len(topics) >= 5
    for t in topics:
        assert t.label and t.ask and len(t.examples) >= 3, t


@pytest.fixture(scope="module")
def remit(embedder):
    r = Remit(embedder)
    r.warm_up()
    return r


@pytest.mark.parametrize("question, label_word", [
    ("when do we get paid this month?", "pay"),
    ("how many days of holiday can I carry over to next year?", "leave"),
    ("the wifi in the office keeps dropping out", "IT"),
    ("who won the football last night?", "general knowledge"),
])
def test_staff_questions_match_their_topic(remit, embedder, question, label_word):
    match = remit.match(embedder.embed_query(question))
    assert label_word in match.topic.label, match


def test_a_practice_question_is_far_from_every_topic(remit, embedder):
    match = remit.match(embedder.embed_query("what are the timescales for an initial child protection conference?"))
    assert match.similarity < 0.4, match


def test_no_topics_match_nothing(embedder):
    assert Remit(embedder, topics=[]).match(embedder.embed_query("pay")) is None


def test_own_topics_can_be_given(embedder):
    own = Remit(embedder, topics=[Topic("canteen menus", "the canteen", ("what's for lunch today?",))])
    assert own.match(embedder.embed_query("is there soup on the lunch menu?")).topic.label == "canteen menus"
