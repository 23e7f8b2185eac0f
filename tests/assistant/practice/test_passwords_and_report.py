"""The admin password hash, and the unanswered-questions report."""
from datetime import datetime, timedelta, timezone

from assistant.answer import Answer
from assistant.practice.conversations import Turn
from assistant.practice.passwords import hash_password, verify_password
from assistant.practice.unanswered import report


def test_a_password_verifies_against_its_hash_only():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert hash_password("correct horse battery") != stored  # a fresh salt each time


def test_no_hash_or_a_malformed_one_lets_nobody_in():
    assert not verify_password("", None) and not verify_password("x", "")
    assert not verify_password("x", "md5$abc") and not verify_password("x", "scrypt$1$2$3$!!$??")


def not_covered(question: str, minutes: int = 0) -> Turn:
    answer = Answer(question=question, answer="The procedures loaded don't cover this.", grounded=False)
    return Turn(question=question, answer=answer, asked=datetime(2025, 1, 1, tzinfo=timezone.utc)
                + timedelta(minutes=minutes))


def test_report_groups_questions_by_topic_and_masks_them():
    turns = [not_covered("guidance on teenagers with a gambling problem?", 1),
             not_covered("gambling problem in a young person", 2),
             not_covered("Tom Jones, 14, has a gambling problem", 3),
             not_covered("what is the policy on tattoos for children in care?", 4),
             not_covered("tattoos for children in care", 5)]
    answered = Turn(question="staying put", answer=Answer(question="staying put", answer="x", grounded=True),
                    asked=datetime(2025, 1, 1, tzinfo=timezone.utc))
    gaps = report(turns + [answered])
    assert [g.asked for g in gaps] == [3, 2]
    assert "gambling" in gaps[0].label and "tattoos" in gaps[1].label
    assert "[name], 14, has a gambling problem" in gaps[0].questions
    assert not any("Tom Jones" in q for g in gaps for q in g.questions)
    assert gaps[0].questions[0].startswith("[name]")  # newest first


def test_report_by_meaning_with_embeddings(embedder):
    turns = [not_covered("teenager addicted to betting"), not_covered("young person with a gambling habit"),
             not_covered("can children in care get a tattoo?")]
    gaps = report(turns, embed=embedder.embed_documents)
    assert sorted(g.asked for g in gaps) == [1, 2]
