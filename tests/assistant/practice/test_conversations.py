"""Conversations kept in SQLite: back whole after a reload, listed per owner,
never storing what the personal-data check masked."""
import sqlite3
from datetime import datetime, timezone

import pytest

from assistant.practice.conversations import ConversationStore, Turn, new_id
from assistant.practice.privacy import mask


@pytest.fixture(scope="module")
def answers(sample_assistant):
    return {q: sample_assistant.ask(q) for q in ("Which chapter covers Staying Put?",
                                                 "is there guidance on teenagers with a gambling problem in Rotherham?")}


def turn(answer, question=None, **kw):
    return Turn(question=question or answer.question, answer=answer, asked=datetime.now(timezone.utc), **kw)


def test_a_conversation_comes_back_whole_from_a_new_connection(tmp_path, answers):
    db = tmp_path / "app.sqlite3"
    cid = new_id()
    staying, gambling = answers.values()
    ConversationStore(db).add(cid, "owner-a", turn(staying, manual=None))
    ConversationStore(db).add(cid, "owner-a", turn(gambling, manual="rotherham", asked_as="x in Rotherham?"))
    first, second = ConversationStore(db).turns(cid)
    assert first.question == "Which chapter covers Staying Put?" and first.answer.answer == staying.answer
    assert [c.record_id for c in first.answer.citations] == [c.record_id for c in staying.citations]
    assert first.answer.citations[0].passage and first.answer.lead == staying.lead
    assert [c.quote for c in first.answer.citations] == [c.quote for c in staying.citations]
    assert first.answer.searched == staying.searched
    assert (second.manual, second.asked_as) == ("rotherham", "x in Rotherham?")
    assert [p.chapter for p in second.answer.pointers] == ["6.1"]


def test_history_lists_only_the_owner_s_conversations_newest_first(tmp_path, answers):
    store = ConversationStore(tmp_path / "app.sqlite3")
    staying = answers["Which chapter covers Staying Put?"]
    ids = [new_id() for _ in range(3)]
    for cid in ids:
        store.add(cid, "owner-a", turn(staying))
    store.add(new_id(), "owner-b", turn(staying))
    store.add(ids[0], "owner-a", turn(staying))  # the first is now the latest
    recent = store.recent("owner-a")
    assert [s.id for s in recent][0] == ids[0] and {s.id for s in recent} == set(ids)
    assert recent[0].turns == 2 and recent[0].title == "Which chapter covers Staying Put?"
    assert store.exists(ids[1]) and not store.exists("nope")


def test_a_rating_is_kept_with_its_turn(tmp_path, answers):
    store = ConversationStore(tmp_path / "app.sqlite3")
    cid, t = new_id(), turn(answers["Which chapter covers Staying Put?"])
    store.add(cid, "o", t)
    t.rating = 1
    store.update(cid, t)
    assert store.turns(cid)[0].rating == 1


def test_nothing_personal_is_stored_when_the_check_fires(tmp_path, sample_assistant):
    typed = "Tom Jones, 07700 900123, DE1 2AB - missing from care"
    masked = mask(typed)
    answer = sample_assistant.ask(masked)
    store = ConversationStore(tmp_path / "app.sqlite3")
    store.add(new_id(), "o", turn(answer, question=masked, personal=["name", "phone number", "postcode"]))
    raw = b"".join(bytes(str(row), "utf-8") for row in
                   sqlite3.connect(tmp_path / "app.sqlite3").execute("SELECT * FROM turns UNION ALL "
                                                                      "SELECT id, owner, created_at, updated_at, title, "
                                                                      "'' FROM conversations"))
    for secret in ("Tom Jones", "07700 900123", "DE1 2AB"):
        assert secret.encode() not in raw
    assert b"[name]" in raw


def test_not_covered_turns_for_the_report(tmp_path, answers):
    store = ConversationStore(tmp_path / "app.sqlite3")
    store.add(new_id(), "o", turn(answers["Which chapter covers Staying Put?"]))
    store.add(new_id(), "o", turn(answers["is there guidance on teenagers with a gambling problem in Rotherham?"]))
    [gap] = store.not_covered()
    assert not gap.answer.grounded
