"""The whole-manuals issue's targets on the fixture sites' dev set, held a
little below what is reached (docs/evaluation.md has the table; latency is
measured by `python -m assistant eval --sites`, never asserted here). The
held-out site set is never scored in tests: it is only ever scored and
reported. (Not-covered calibration across store sizes is not yet held: see
docs/evaluation.md.)"""
from __future__ import annotations

import pytest

from assistant.evaluation.questions import SITES_DEV, load_questions
from assistant.evaluation.report import invented_citations, run_all, score


@pytest.fixture(scope="module")
def dev(sites_assistant):
    questions = load_questions(SITES_DEV)
    answers = run_all(lambda q: sites_assistant.ask(q.question, q.manual), questions)
    return questions, answers, {r.kind: r for r in score(questions, answers)}


def test_content_questions_find_the_chapter_and_quote_the_answer_first(dev):
    _, _, rows = dev
    assert rows["content"].hit1 >= 0.95
    assert rows["content"].sentence >= 0.85  # reached 0.885 (54 of 61)


def test_chapter_finding_holds(dev):
    _, _, rows = dev
    assert rows["find"].hit1 >= 0.8 and rows["number"].hit1 >= 0.9


def test_not_covered_questions_decline_more_often_than_before(dev):
    _, _, rows = dev
    assert rows["not_covered"].hit1 >= 0.5  # 0.41 before direct answers; see docs/evaluation.md


def test_no_invented_citations_on_whole_manuals(dev, sites_assistant):
    _, answers, _ = dev
    assert invented_citations(answers, sites_assistant.catalog) == 0
    assert all(a.grounded == bool(a.citations) for a in answers)
