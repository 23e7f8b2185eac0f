""""Quiz me": questions drawn from a reading path, each with exactly one
correct option, and the checking of answers."""
from __future__ import annotations

import pytest

from ui.induction import Step, Topic, reading_path
from ui.quiz import check, make_quiz
from vectorstore.text import title_key


def topic(tid: str) -> Topic:
    return Topic(id=tid, title=tid.title(), why="why", queries=(tid,))


def step(chapter: str, title: str, tid: str, scope: str = "") -> Step:
    return Step(manual_id="m", chapter=chapter, title=title, section="", topic=topic(tid), scope=scope)


STEPS = [
    step("1.1", "Supervision Policy", "supervision"),
    step("2.1", "Recording Policy", "recording"),
    step("2.2", "Information Sharing", "recording"),
    step("3.1", "Leaving Care", "leaving"),
    step("3.2", "Staying Put", "leaving", scope="This chapter sets out the Staying Put arrangements for care leavers."),
    step("4.1", "Complaints", "complaints"),
]


def assert_one_correct(question) -> None:
    assert len(set(question.options)) == len(question.options) >= 2
    assert 0 <= question.answer < len(question.options)
    assert sum(question.is_correct(o) for o in question.options) == 1


def test_every_question_has_exactly_one_correct_option():
    quiz = make_quiz(STEPS, "Testshire", count=20, seed=3)
    assert len(quiz) >= 8
    kinds = {q.id.split(":")[0] for q in quiz}
    assert kinds == {"number", "topic", "scope"}
    for q in quiz:
        assert_one_correct(q)


def test_title_options_never_include_another_chapter_of_the_asked_topic():
    for seed in range(10):
        for q in make_quiz(STEPS, "Testshire", count=20, seed=seed):
            if q.id.startswith("topic:"):
                asked = next(s for s in STEPS if q.id == f"topic:{s.chapter}:{s.title}").topic.id
                same_topic = {s.title for s in STEPS if s.topic.id == asked}
                assert [o for o in q.options if o in same_topic] == [q.correct]


def test_a_number_that_also_carries_the_asked_title_is_never_a_distractor():
    steps = STEPS + [step("9.9", "Supervision Policy", "fostering")]  # the same title twice
    asked = [q for seed in range(10) for q in make_quiz(steps, "Testshire", count=20, seed=seed)
             if q.id.startswith("number:") and "Supervision Policy" in q.prompt]
    assert asked
    for q in asked:
        others = {"1.1", "9.9"} - {q.correct}
        assert q.correct in {"1.1", "9.9"} and not (others & set(q.options))


def test_checking_answers_scores_them():
    quiz = make_quiz(STEPS, "Testshire", count=5, seed=1)
    assert len(quiz) == 5
    right = check(quiz, {q.id: q.correct for q in quiz})
    assert (right.right, right.total, right.label) == (5, 5, "5 / 5")
    wrong = {q.id: next(o for o in q.options if o != q.correct) for q in quiz}
    wrong[quiz[0].id] = quiz[0].correct
    score = check(quiz, wrong)
    assert score.right == 1 and score.marks[0] and not any(score.marks[1:])
    assert check(quiz, {}).right == 0  # unanswered is not right


def test_the_same_seed_gives_the_same_quiz_and_another_seed_may_not():
    assert make_quiz(STEPS, "T", seed=7) == make_quiz(STEPS, "T", seed=7)
    assert len({tuple(q.id for q in make_quiz(STEPS, "T", seed=s)) for s in range(5)}) > 1


def test_a_path_too_short_for_choices_gives_no_quiz():
    assert make_quiz(STEPS[:1], "T") == []


def test_extra_chapters_supply_number_choices_for_a_short_path():
    quiz = make_quiz(STEPS[:1], "T", extra=[("5.1", "A"), ("5.2", "B"), ("5.3", "C")])
    assert [q.id for q in quiz] == ["number:1.1:Supervision Policy"]
    assert_one_correct(quiz[0])
    assert len(quiz[0].options) == 4


def test_a_quiz_on_the_rotherham_path_is_right_about_the_manual(sample_assistant):
    path = reading_path(sample_assistant, "rotherham", "social-worker")
    quiz = make_quiz(path.steps, "Rotherham", count=8, seed=11)
    assert len(quiz) == 8
    entries = sample_assistant.catalog.manual_entries("rotherham")
    for q in quiz:
        assert_one_correct(q)
        if q.id.startswith("number:"):
            title = q.prompt.split("“")[1].rstrip("”?")
            carrying = {e.chapter for e in entries if title_key(e.title) == title_key(title)}
            assert q.correct in carrying and not carrying & (set(q.options) - {q.correct})


@pytest.mark.parametrize("manual", ["derbyshire", "ddscp"])
def test_manuals_with_one_chapter_or_none_give_no_quiz(sample_assistant, manual):
    path = reading_path(sample_assistant, manual, "social-worker")
    assert make_quiz(path.steps, manual) == []
