"""Induction reading paths (found by retrieval over the sample store) and the
per-user ticks kept in SQLite."""
from __future__ import annotations

import re

import pytest

from assistant.practice.induction import CURRICULUM_FILE, load_curriculum, reading_path
from assistant.practice.ticks import TickStore

REQUIRED_TOPICS = {"values", "recording", "supervision", "thresholds", "assessment", "section47",
                   "children-in-care", "leaving-care", "complaints", "data-protection"}


@pytest.fixture(scope="module")
def rotherham(sample_assistant):
    return reading_path(sample_assistant, "rotherham", "social-worker")


def numbers(path) -> list[str]:
    return [step.chapter for step in path.steps]


def test_rotherham_social_worker_path_has_the_expected_chapters(rotherham):
    # data/manuals/003_*.txt: 1.1.6 Children's Social Work Supervision Policy…,
    # 4.8.1 Leaving Care Service / 4.8.2 Staying Put Policy, 1.7.2 Whistleblowing…
    chapters = numbers(rotherham)
    assert "1.1.6" in chapters
    assert "4.8.2" in chapters and "4.8.1" in chapters
    assert "1.7.2" in chapters and "1.7.1" in chapters
    assert {s.manual_id for s in rotherham.steps} == {"rotherham"}
    assert not rotherham.skipped  # Rotherham covers every social-worker topic


def test_path_follows_the_role_order_with_a_reason_per_chapter(rotherham):
    order = list(rotherham.role.topics)
    positions = [order.index(step.topic.id) for step in rotherham.steps]
    assert positions == sorted(positions)
    assert all(step.topic.why for step in rotherham.steps)
    assert len(set(numbers(rotherham))) == len(rotherham.steps)  # no chapter twice
    by_number = {s.chapter: s for s in rotherham.steps}
    assert by_number["1.1.6"].topic.id == "supervision"
    assert by_number["4.8.2"].topic.id == "leaving-care"
    assert by_number["1.7.2"].topic.id == "complaints"


def test_supervision_means_staff_supervision_not_supervision_orders(rotherham):
    titles = [s.title for s in rotherham.steps if s.topic.id == "supervision"]
    assert titles and not any("Order" in t for t in titles)


def test_leicestershire_path_differs_and_skips_what_it_lacks(sample_assistant, rotherham):
    path = reading_path(sample_assistant, "leicestershire", "social-worker")
    assert path.steps and {s.manual_id for s in path.steps} == {"leicestershire"}
    assert {s.key for s in path.steps}.isdisjoint({s.key for s in rotherham.steps})
    # data/manuals/002_*.txt: no leaving-care chapters (its looked-after section is empty)
    assert "leaving-care" in {t.id for t in path.skipped}
    assert "1.3.2" in numbers(path)  # Recording with Care


def test_roles_change_the_path(sample_assistant, rotherham):
    nqsw = reading_path(sample_assistant, "rotherham", "nqsw")
    assert "1.1.8" in numbers(nqsw)  # Newly Qualified Social Worker … Year in Employment
    assert "1.1.8" not in numbers(rotherham)
    carer = reading_path(sample_assistant, "rotherham", "foster-carer")
    assert "Supervision and Support of Foster Carers" in [s.title for s in carer.steps]


def test_a_manual_with_only_amendments_gets_no_path(sample_assistant):
    path = reading_path(sample_assistant, "ddscp", "social-worker")
    assert path.steps == [] and len(path.skipped) == len(path.role.topics)


def test_a_one_chapter_manual_lists_the_topics_it_also_covers(sample_assistant):
    path = reading_path(sample_assistant, "derbyshire", "social-worker")
    assert numbers(path) == ["1.1.1"]
    assert path.steps[0].scope.startswith("This chapter provides the context")
    assert path.steps[0].also  # later topics found in the same chapter


def test_curriculum_is_data_without_chapter_numbers():
    curriculum = load_curriculum()
    assert REQUIRED_TOPICS <= set(curriculum.roles["social-worker"].topics)
    assert {"social-worker", "nqsw", "team-manager", "family-support-worker", "foster-carer"} == set(curriculum.roles)
    assert not re.search(r"\b\d+\.\d+", CURRICULUM_FILE.read_text(encoding="utf-8"))


def test_a_role_naming_an_unknown_topic_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[topics.a]\ntitle="A"\nwhy="w"\nqueries=["a"]\n[roles.r]\nlabel="R"\ntopics=["a","b"]\n')
    with pytest.raises(ValueError, match="unknown topics: b"):
        load_curriculum(bad)


def test_ticks_persist_per_user_across_connections(tmp_path):
    db = tmp_path / "sub" / "app.sqlite3"
    TickStore(db).set("Sam Patel", "rotherham", "1.1.6", "Supervision Policy", True)
    TickStore(db).set("Sam Patel", "rotherham", "4.8.2", "Staying Put Policy", True)
    again = TickStore(db)  # a fresh store object: a new connection
    assert again.ticked("  sam  PATEL ", "rotherham") == {("1.1.6", "Supervision Policy"),
                                                        ("4.8.2", "Staying Put Policy")}
    assert again.ticked("Alex", "rotherham") == set()
    assert again.ticked("Sam Patel", "derby-city") == set()
    again.set("Sam Patel", "rotherham", "1.1.6", "Supervision Policy", False)
    assert TickStore(db).ticked("Sam Patel", "rotherham") == {("4.8.2", "Staying Put Policy")}


def test_a_blank_name_keeps_no_ticks(tmp_path):
    with pytest.raises(ValueError):
        TickStore(tmp_path / "app.sqlite3").set("  ", "rotherham", "1.1.6", "x", True)
