"""The evaluation harness on a tiny question set: gold matching, scoring
(hit@1, hit@3, MRR, grounded rate), invented citations, latency, and the
`run_eval` report against the naive baseline.

Gold values were read off the seeds (see tests/assistant/test_answers.py)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from assistant.evaluation.questions import (
    KINDS,
    SITE_SETS,
    SITES_HELDOUT,
    EvalQuestion,
    Gold,
    first_hit_rank,
    first_line,
    load_questions,
    quotes_sentence,
)
from assistant.evaluation.report import (
    format_precision,
    format_table,
    invented_citations,
    latency,
    run_eval,
    score,
    sentence_quoted,
    signposted,
)
from vectorstore.models import RecordKind
from vectorstore.text import title_key

ONLINE = "Online Safety and Internet Abuse"
SLAVERY = "Safeguarding Children Who May be Victims of Modern Slavery (have been Trafficked)"
TINY = [
    {"id": "f1", "kind": "find", "question": "which chapter covers Staying Put?", "manual": None,
     "gold": [{"manual_id": "derby-city", "chapter": "6.7.6"}, {"manual_id": "rotherham", "chapter": "4.8.2"}]},
    {"id": "f2", "kind": "find", "question": "staying put", "manual": "rotherham",
     "gold": [{"manual_id": "rotherham", "chapter": "4.8.2"}]},
    {"id": "n1", "kind": "number", "question": "rotherham 5.1.8", "manual": None,
     "gold": [{"manual_id": "rotherham", "chapter": "5.1.8", "title": "Matching Matrix"}]},
    {"id": "c1", "kind": "content", "question": "within what timescale must permanence plans be made in Derbyshire?",
     "manual": None, "gold": [{"manual_id": "derbyshire", "chapter": "1.1.1"}], "expect": "4 months"},
    {"id": "a1", "kind": "amendment", "question": "what changed in July 2020?", "manual": None,
     "gold": [{"manual_id": "ddscp", "amended": "2020-07", "title": ONLINE},
              {"manual_id": "ddscp", "amended": "2020-07", "title": SLAVERY}]},
    {"id": "x1", "kind": "not_covered", "question": "what is the mileage rate?", "manual": None, "gold": []},
]


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in TINY) + "\n\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(tiny_path) -> list[EvalQuestion]:
    return load_questions(tiny_path)


def cite(manual_id: str, chapter=None, title: str = "", kind=RecordKind.CONTENTS, amended=None,
         passage: str = "") -> Citation:
    return Citation(manual_id=manual_id, manual=manual_id, kind=kind, chapter=chapter, title=title, amended=amended,
                    source="x.txt", score=1.0, passage=passage)


def amend(month: str, title: str, passage: str = "") -> Citation:
    return cite("ddscp", title=title, kind=RecordKind.AMENDMENT, amended=month, passage=passage)


def answer(question: str, citations: list[Citation], grounded=None, total: float = 1.0) -> Answer:
    return Answer(question=question, answer="", grounded=bool(citations) if grounded is None else grounded,
                  citations=citations, timings_ms={"total": total})


# the kinds the sample sets use (the site sets add safeguarding descriptions)
SAMPLE_KINDS = tuple(k for k in KINDS if k != "safeguarding")


def rows_by_kind(rows):
    return {r.kind: r for r in rows}


# -- loading ---------------------------------------------------------------------

def test_load_questions(tiny):
    assert [q.id for q in tiny] == ["f1", "f2", "n1", "c1", "a1", "x1"]
    assert {q.kind for q in tiny} == set(SAMPLE_KINDS)
    assert tiny[1].manual == "rotherham"
    assert tiny[2].gold == (Gold("rotherham", "5.1.8", "Matching Matrix"),)
    assert tiny[3].expect == "4 months"
    assert tiny[4].gold[0] == Gold("ddscp", None, ONLINE, "2020-07")
    assert tiny[5].gold == ()


def test_the_default_set_loads():
    questions = load_questions()
    assert len(questions) > 100
    assert {q.kind for q in questions} == set(SAMPLE_KINDS)
    assert all(q.gold for q in questions if q.kind != "not_covered")


# -- gold matching ---------------------------------------------------------------

def test_gold_entry_by_number():
    gold = Gold("derby-city", "6.7.6")
    assert gold.matches(cite("derby-city", "6.7.6", "Staying Put Policy"))
    assert gold.matches(cite("derby-city", "6.7.6", "Any Title", kind=RecordKind.CHAPTER))  # the chapter page
    assert not gold.matches(cite("rotherham", "6.7.6", "Staying Put Policy"))
    assert not gold.matches(cite("derby-city", "6.7.5", "Staying Put Policy"))
    assert not gold.matches(cite("derby-city", None, "Staying Put Policy"))
    assert not gold.matches(amend("2021-06", "Staying Put Policy"))  # an amendment is never an entry


def test_gold_entry_by_number_and_title():
    gold = Gold("rotherham", "5.1.8", "Matching Matrix")
    assert gold.matches(cite("rotherham", "5.1.8", "Matching Matrix"))
    assert gold.matches(cite("rotherham", "5.1.8", "matching  MATRIX"))  # titles compare by key
    assert not gold.matches(cite("rotherham", "5.1.8", "Supervision and Support of Foster Carers"))


def test_gold_unnumbered_title():
    gold = Gold("derby-city", None, "Our Pledge to Children in Care")
    assert gold.matches(cite("derby-city", None, "Our Pledge to Children in Care"))
    assert not gold.matches(cite("derby-city", "6.7.2", "Our Pledge to Care Leavers (Derby City Council)"))
    assert not gold.matches(cite("rotherham", None, "Our Pledge to Children in Care"))


def test_gold_amendment():
    gold = Gold("ddscp", None, "Child Protection Conferences", "2021-06")
    assert gold.matches(amend("2021-06", "Child Protection Conferences"))
    assert gold.matches(amend("2021-06", "child protection conferences"))
    assert not gold.matches(amend("2020-01", "Child Protection Conferences"))  # another month
    assert not gold.matches(amend("2021-06", "Making a Referral to Social Care"))  # another row
    assert not gold.matches(cite("ddscp", None, "Child Protection Conferences"))  # not an amendment
    assert not gold.matches(cite("derby-city", None, "Child Protection Conferences", kind=RecordKind.AMENDMENT,
                                 amended="2021-06"))  # another manual


def test_gold_untitled_amendment():
    gold = Gold("ddscp", None, "", "2022-01")  # the January 2022 rows have no chapter names
    assert gold.matches(amend("2022-01", ""))
    assert not gold.matches(amend("2022-01", "Domestic Abuse"))
    assert not gold.matches(amend("2021-10", ""))


def test_gold_amendment_without_a_title_is_any_row_of_the_month():
    gold = Gold("ddscp", amended="2020-07")
    assert gold.matches(amend("2020-07", ONLINE)) and gold.matches(amend("2020-07", SLAVERY))
    assert not gold.matches(amend("2020-05", ONLINE))


def test_gold_lenient_mode_for_the_baseline():
    # the baseline cites a month heading with the chunk's first line as title; lenient looks in its passage
    baseline = amend("2020-07", "July 2020", passage=f"July 2020\nUpdated Chapters\n{ONLINE} |\nThis guidance ...")
    gold = Gold("ddscp", None, ONLINE, "2020-07")
    assert not gold.matches(baseline)
    assert gold.matches(baseline, lenient=True)
    assert not Gold("ddscp", None, "Forced Marriage", "2020-07").matches(baseline, lenient=True)
    # and its chapter numbers carry no title
    number_only = cite("rotherham", "5.1.8", "")
    assert not Gold("rotherham", "5.1.8", "Matching Matrix").matches(number_only)
    assert Gold("rotherham", "5.1.8", "Matching Matrix").matches(number_only, lenient=True)
    assert not Gold("rotherham", "5.1.7", "Matching Matrix").matches(number_only, lenient=True)


def test_first_hit_rank():
    gold = (Gold("derby-city", "6.7.6"), Gold("rotherham", "4.8.2"))
    assert first_hit_rank([cite("x", "1"), cite("rotherham", "4.8.2"), cite("derby-city", "6.7.6")], gold) == 2
    assert first_hit_rank([cite("derby-city", "6.7.6")], gold) == 1
    assert first_hit_rank([cite("x", "1")], gold) is None
    assert first_hit_rank([], gold) is None


# -- scoring hand-made answers ------------------------------------------------------

def test_score_hand_made_answers(tiny):
    other = cite("leicestershire", "1.1.1", "Children and Families Policies, Values and Principles")
    answers = [
        answer(tiny[0].question, [other, cite("rotherham", "4.8.2", "Staying Put Policy")]),  # rank 2
        answer(tiny[1].question, [cite("rotherham", "4.8.2", "Staying Put Policy"), other]),  # rank 1
        answer(tiny[2].question, [other, other, cite("rotherham", "5.1.8", "Supervision and Support of Foster Carers"),
                                  cite("rotherham", "5.1.8", "Matching Matrix")]),  # rank 4
        answer(tiny[3].question, []),  # missed, not grounded
        answer(tiny[4].question, [amend("2020-07", SLAVERY)]),  # rank 1 (either row counts)
        answer(tiny[5].question, []),  # correctly not grounded
    ]
    rows = score(tiny, answers)
    assert [r.kind for r in rows] == list(SAMPLE_KINDS)
    by = rows_by_kind(rows)
    assert by["find"].n == 2
    assert (by["find"].hit1, by["find"].hit3, by["find"].mrr, by["find"].grounded) == pytest.approx((0.5, 1.0, 0.75, 1.0))
    assert (by["number"].hit1, by["number"].hit3, by["number"].mrr) == pytest.approx((0.0, 0.0, 0.25))
    assert (by["content"].hit1, by["content"].hit3, by["content"].mrr, by["content"].grounded) == (0, 0, 0, 0)
    assert (by["amendment"].hit1, by["amendment"].hit3, by["amendment"].mrr) == (1, 1, 1)
    assert (by["not_covered"].n, by["not_covered"].hit1, by["not_covered"].grounded) == (1, 1.0, 1.0)


def test_precision_by_wording(tiny):
    staying_put = cite("rotherham", "4.8.2", "Staying Put Policy")
    other = cite("leicestershire", "1.1.1", "Children and Families Policies, Values and Principles")
    answers = [
        answer(tiny[0].question, [staying_put]).model_copy(update={"plain": True}),  # right, plainly
        answer(tiny[1].question, [other]).model_copy(update={"plain": True}),  # wrong, plainly
        answer(tiny[2].question, [other]),  # wrong, as closest match
        answer(tiny[3].question, []),  # not cited: not counted
        answer(tiny[4].question, [amend("2020-07", SLAVERY)]),  # right, as closest match
        answer(tiny[5].question, [other]),  # cited for a not-covered question: wrong
    ]
    assert format_precision(tiny, answers) == ("cited answers: stated plainly 2 (first citation right 50%); "
                                               "offered as closest match 3 (first citation right 33%)")


def test_rank_three_is_a_hit_at_three_not_at_one(tiny):
    other = cite("x", "1")
    rows = score(tiny[2:3], [answer(tiny[2].question, [other, other, cite("rotherham", "5.1.8", "Matching Matrix")])])
    assert (rows[0].hit1, rows[0].hit3, rows[0].mrr) == pytest.approx((0.0, 1.0, 1 / 3))


def test_not_covered_fails_when_grounded_or_citing(tiny):
    q = [tiny[5]] * 3
    answers = [answer(q[0].question, [], grounded=False), answer(q[0].question, [], grounded=True),
               answer(q[0].question, [cite("rotherham", "6.1", "Local Contacts")], grounded=False)]
    (row,) = score(q, answers)
    assert row.kind == "not_covered" and row.n == 3
    assert row.hit1 == pytest.approx(1 / 3)


def test_score_lenient(tiny):
    a = answer(tiny[2].question, [cite("rotherham", "5.1.8", "")])
    assert score(tiny[2:3], [a])[0].hit1 == 0.0
    assert score(tiny[2:3], [a], lenient=True)[0].hit1 == 1.0


def test_kinds_without_questions_are_left_out(tiny):
    rows = score(tiny[:2], [answer(q.question, []) for q in tiny[:2]])
    assert [r.kind for r in rows] == ["find"]


# -- real runs --------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_answers(sample_assistant, tiny) -> list[Answer]:
    return [sample_assistant.ask(q.question, q.manual) for q in tiny]


def _my_rank(answer: Answer, gold: list[dict]):
    """An independent matcher for the tiny set's gold (exact fields, titles by key)."""
    for rank, c in enumerate(answer.citations, 1):
        for g in gold:
            if c.manual_id != g["manual_id"]:
                continue
            if "amended" in g:
                if c.kind == RecordKind.AMENDMENT and c.amended == g["amended"] and \
                        title_key(c.title) == title_key(g["title"]):
                    return rank
            elif c.kind != RecordKind.AMENDMENT and c.chapter == g["chapter"] and \
                    ("title" not in g or title_key(c.title) == title_key(g["title"])):
                return rank
    return None


def test_score_real_answers(tiny, real_answers):
    by = rows_by_kind(score(tiny, real_answers))
    for kind in ("find", "number", "content", "amendment"):
        rows = [(q, a) for q, a, raw in zip(tiny, real_answers, TINY) if q.kind == kind]
        ranks = [_my_rank(a, raw["gold"]) for q, a, raw in zip(tiny, real_answers, TINY) if q.kind == kind]
        assert by[kind].n == len(rows)
        assert by[kind].hit1 == pytest.approx(sum(r == 1 for r in ranks) / len(ranks))
        assert by[kind].hit3 == pytest.approx(sum(r is not None and r <= 3 for r in ranks) / len(ranks))
        assert by[kind].mrr == pytest.approx(sum(1 / r for r in ranks if r) / len(ranks))
    # and what these questions are known to get (tests/assistant/test_answers.py)
    assert by["find"].hit1 == by["number"].hit1 == by["amendment"].hit1 == 1.0
    assert by["content"].hit3 == 1.0
    assert by["not_covered"].hit1 == 1.0
    assert all(by[k].grounded == 1.0 for k in ("find", "number", "content", "amendment"))


def test_real_answers_contain_the_expected_text(tiny, real_answers):
    for q, a in zip(tiny, real_answers):
        if q.expect:
            assert q.expect in a.answer


# -- invented citations and latency ------------------------------------------------------

def test_invented_citations(sample_assistant, real_answers):
    catalog = sample_assistant.catalog
    assert invented_citations(real_answers, catalog) == 0
    fakes = answer("q", [
        cite("derby-city", "9.9.9", "Made Up Chapter"),  # no such number
        cite("derby-city", "6.7.6", "Staying Put Policy"),  # real
        cite("rotherham", "6.7.6", "Staying Put Policy"),  # right entry, wrong manual
        amend("2030-01", "Child Protection Conferences"),  # no such month
        amend("2021-06", "Child Protection Conferences"),  # real
    ])
    assert invented_citations([fakes], catalog) == 3
    assert invented_citations(real_answers + [fakes], catalog) == 3


def test_latency():
    answers = [answer("q", [], total=t) for t in (40.0, 10.0, 30.0, 20.0)]
    p50, p95 = latency(answers)
    assert p50 == pytest.approx(25.0)
    assert p95 == pytest.approx(40.0)


def test_format_table(tiny):
    answers = [answer(q.question, []) for q in tiny]
    text = format_table("Title line", score(tiny, answers), answers)
    lines = text.splitlines()
    assert lines[0] == "Title line"
    assert lines[1].split() == ["kind", "n", "hit@1", "hit@3", "MRR", "grounded"]
    assert [line.split()[0] for line in lines[2:-1]] == list(SAMPLE_KINDS)
    assert lines[-1].startswith("latency ms:")


# -- the report ---------------------------------------------------------------------------

def _table(out: str, title: str) -> dict[str, list[float]]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = {}
    for line in lines[start + 2:]:
        parts = line.split()
        if not parts or parts[0] not in KINDS:
            break
        rows[parts[0]] = [float(x) for x in parts[1:]]
    return rows


def test_run_eval_prints_both_tables_and_the_ratio(sample_settings, tiny_path, capsys):
    assert run_eval(sample_settings, tiny_path, baseline=True) == 0
    out = capsys.readouterr().out
    ours = _table(out, "Procedures Assistant")
    theirs = _table(out, "Naive baseline")
    assert list(ours) == list(SAMPLE_KINDS) and list(theirs) == list(SAMPLE_KINDS)
    assert [row[0] for row in ours.values()] == [2, 1, 1, 1, 1]  # n per kind
    assert ours["number"][1] == 1.0 and ours["amendment"][1] == 1.0 and ours["not_covered"][1] == 1.0
    assert theirs["not_covered"][1] == 0.0  # the baseline always answers
    assert len(re.findall(r"^latency ms: p50 [\d.]+, p95 [\d.]+", out, re.MULTILINE)) == 2
    invented = re.findall(r"^citations of records not in the store: (\d+)$", out, re.MULTILINE)
    assert len(invented) == 2 and invented[0] == "0"
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ratio ours / baseline"))
    ratio = {line.split()[0]: line.split()[1:] for line in lines[start + 1:start + 1 + len(SAMPLE_KINDS)]}
    assert list(ratio) == list(SAMPLE_KINDS)
    assert all(len(values) == 3 for values in ratio.values())
    assert ratio["not_covered"] == ["inf", "inf", "inf"]
    for values in ratio.values():
        assert all(v == "inf" or re.fullmatch(r"\d+\.\d\d", v) for v in values)


def test_run_eval_without_the_baseline(sample_settings, tiny_path, capsys):
    assert run_eval(sample_settings, tiny_path, baseline=False) == 0
    out = capsys.readouterr().out
    assert "Procedures Assistant" in out
    assert "Naive baseline" not in out and "ratio" not in out


# -- the whole-manual sets: answer sentences, safeguarding and the 999 signpost --------------

WITHIN = "The child must be seen within 5 working days of the referral decision, or within 24 hours where " \
         "the referral raised urgent concerns;"


def test_a_first_line_quoting_the_whole_sentence_counts():
    line = f"> “{WITHIN}” [1]"
    assert quotes_sentence(line, WITHIN)
    # case, markdown, quote marks and whitespace do not matter
    assert quotes_sentence("**THE CHILD MUST BE SEEN** within  5 working days of the referral decision, or within "
                           "24 hours where the referral raised urgent concerns [1]", WITHIN)


def test_a_shortened_quote_counts_only_when_it_keeps_the_core():
    core = "“The child must be seen within 5 working days of the referral decision, or within 24 hours…” [1]"
    assert quotes_sentence(core, WITHIN)
    too_short = "“The child must be seen within 5 working days…” [1]"  # 9 of its 22 words
    assert not quotes_sentence(too_short, WITHIN)


def test_a_first_line_naming_only_the_chapter_does_not_count():
    assert not quotes_sentence("This is covered by **Brackenshire 2.1.1 Child and Family Assessment** [1].", WITHIN)
    assert not quotes_sentence("", WITHIN)
    assert not quotes_sentence("anything at all", "")


def test_a_table_row_counts_with_its_cells_apart():
    row = "Red rated contact reviewed by a manager Within 2 hours of receipt CADS Team Manager"
    assert quotes_sentence("> Red rated contact reviewed by a manager | Within 2 hours of receipt | "
                           "CADS Team Manager [1]", row)


def test_words_must_match_whole():
    assert not quotes_sentence("“children must be seen within 5 working days of the referral decision, or within "
                               "24 hours where the referral raised urgent concerns” [1]", WITHIN)


def test_first_line_skips_blank_lines():
    assert first_line("\n\n  first\nsecond") == "  first"
    assert first_line("") == ""


def _site_question(kind, gold=(), sentence="", risk=False, qid="s"):
    return EvalQuestion(qid, kind, "q", None, tuple(Gold(*g) for g in gold), answer_sentence=sentence,
                        immediate_risk=risk)


def test_score_sentence_and_signpost():
    gold = [("brackenshire", "2.1.1")]
    content = [_site_question("content", gold, WITHIN), _site_question("content", gold, WITHIN),
               _site_question("content", gold)]  # no sentence recorded: not in the sentence measure
    right = cite("brackenshire", "2.1.1", "Child and Family Assessment")
    answers = [Answer(question="q", answer=f"“{WITHIN}” [1]\n\nmore", grounded=True, citations=[right]),
               Answer(question="q", answer=f"This is covered by X [1].\n\n{WITHIN}", grounded=True,
                      citations=[right]),
               Answer(question="q", answer="x", grounded=True, citations=[right])]
    sg_gold = [("brackenshire", "1.3.1"), ("brackenshire", "2.2.2")]
    safeguarding = [_site_question("safeguarding", sg_gold, risk=True), _site_question("safeguarding", sg_gold),
                    _site_question("safeguarding", sg_gold)]
    sg_answers = [Answer(question="q", answer="If a child is in immediate danger, call the police on 999.\n…",
                         grounded=True, citations=[cite("brackenshire", "2.2.2", "Section 47 Enquiries")]),
                  Answer(question="q", answer="Call 999 now.", grounded=True,
                         citations=[cite("brackenshire", "4.1.1", "Placements with Parents")]),
                  Answer(question="q", answer="x", grounded=True,
                         citations=[cite("x", "1"), cite("brackenshire", "1.3.1", "Front Door")])]
    by = rows_by_kind(score(content + safeguarding, answers + sg_answers))
    assert by["content"].hit1 == 1.0
    assert (by["content"].sentence, by["content"].sentence_n) == (0.5, 2)
    assert by["safeguarding"].hit1 == pytest.approx(1 / 3) and by["safeguarding"].hit3 == pytest.approx(2 / 3)
    assert by["safeguarding"].signpost == 1.0 and by["safeguarding"].false_signpost == 0.5
    assert sentence_quoted(content[0], answers[0]) and not sentence_quoted(content[2], answers[2])
    assert signposted(sg_answers[0]) and not signposted(sg_answers[2])


def test_the_site_sets_load_with_their_sentences_and_kinds():
    for path in SITE_SETS:
        questions = load_questions(path)
        assert {q.kind for q in questions} == set(KINDS)
        assert all(q.answer_sentence for q in questions if q.kind == "content")
        assert any(q.immediate_risk for q in questions if q.kind == "safeguarding")


def test_misses_are_never_listed_for_a_blind_set(sites_settings, capsys):
    assert run_eval(sites_settings, SITES_HELDOUT, sites=True, misses=True) == 0
    out = capsys.readouterr().out
    assert "sites_heldout: Procedures Assistant" in out and "misses:" not in out
    assert "safeguarding" in out and "sentence in first line" in out
    assert "Naive baseline" not in out


def test_the_sweep_is_centred_on_the_models_own_thresholds(sample_assistant, tiny):
    from dataclasses import replace as with_

    from assistant.evaluation.report import format_sweep

    original = sample_assistant.thresholds
    sample_assistant.thresholds = with_(original, dense_strong=0.5, combined=0.7)
    try:
        table = format_sweep(sample_assistant, tiny)
        assert sample_assistant.thresholds.dense_strong == 0.5  # put back after the sweep
    finally:
        sample_assistant.thresholds = original
    rows = [line.split() for line in table.splitlines() if re.match(r"\s*0\.\d+\s+0\.\d+\s+[01]\.\d{3}\s", line)]
    assert {r[0] for r in rows[:18]} == {"0.43", "0.5", "0.58"}
    assert {r[1] for r in rows[:18]} == {"0.6", "0.65", "0.7", "0.75", "0.8", "0.9"}
    # the mileage question is declined at the model's own thresholds: the row for them says so
    assert next(r for r in rows if r[:2] == ["0.5", "0.7"])[2] == "1.000"
