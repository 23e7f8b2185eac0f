"""The answers issue's targets, held on the tuning set as a regression guard
(latency is measured by `python -m assistant eval`, never asserted here), and
the no-invention rule on the blind held-out sets too."""
from __future__ import annotations

import pytest

from assistant.evaluation.questions import DEFAULT_SET, HELDOUT_SETS, load_questions
from assistant.evaluation.report import invented_citations, run_all, score


@pytest.fixture(scope="module")
def tuning(sample_assistant):
    questions = load_questions(DEFAULT_SET)
    answers = run_all(lambda q: sample_assistant.ask(q.question, q.manual), questions)
    return {r.kind: r for r in score(questions, answers)}, answers


def test_chapter_finding_and_number_look_up(tuning):
    rows, _ = tuning
    assert rows["find"].hit1 >= 0.95
    assert rows["number"].hit1 == 1.0


def test_content_and_amendment_questions_in_the_top_three(tuning):
    rows, _ = tuning
    assert rows["content"].hit3 >= 0.9 and rows["amendment"].hit3 >= 0.9


def test_every_not_covered_question_is_not_grounded(tuning):
    rows, _ = tuning
    assert rows["not_covered"].hit1 == 1.0


@pytest.mark.parametrize("path", [DEFAULT_SET, *HELDOUT_SETS], ids=lambda p: p.name)
def test_no_set_gets_a_citation_of_a_record_not_in_the_store(sample_assistant, path):
    questions = load_questions(path)
    answers = run_all(lambda q: sample_assistant.ask(q.question, q.manual), questions)
    assert invented_citations(answers, sample_assistant.catalog) == 0
    assert all(a.grounded == bool(a.citations) for a in answers)
