"""The Chat page, driven through the real app (ui/app.py) with AppTest over
the sample store: answers cite once with linked markers, scope obeys the
question, conversations survive a reload, personal details are masked."""
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from assistant.practice.feedback import FeedbackStore
from ui import resources
from vectorstore.settings import REPO_ROOT

APP = str(REPO_ROOT / "ui" / "app.py")


@pytest.fixture
def app_settings(sample_settings, tmp_path, monkeypatch):
    """The sample store, with this test's own app database, given to the app through the environment."""
    settings = sample_settings.with_(app_db=tmp_path / "app.sqlite3")
    env = {"PA_DATA_DIR": settings.data_dir, "PA_MANUALS_DIR": settings.manuals_dir,
           "PA_STORE_DIR": settings.store_dir, "PA_APP_DB": settings.app_db,
           "PA_PUBLIC_BASE_URL": "https://procedures.example.org"}
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    for name in ("CHROMA_HOST", "PA_COLLECTION", "PA_EMBEDDER", "PA_EMBEDDER_PATH", "PA_WRITER",
                 "PA_ADMIN_PASSWORD_HASH"):
        monkeypatch.delenv(name, raising=False)
    resources.get_settings.clear()
    yield settings
    resources.get_settings.clear()


def new_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not app.exception, app.exception
    return app


@pytest.fixture
def at(app_settings):
    return new_app()


def ask(at, question):
    at.chat_input[0].set_value(question).run(timeout=60)
    assert not at.exception, at.exception
    return at


def chips(at):
    return [link for link in at.main.page_link if link.proto.page == "chapter"]


def unescape(text):
    return text.replace("\\", "")


def captions(at):
    return " ".join(unescape(c.value) for c in at.caption)


def test_empty_chat_offers_notices_and_suggestions(at):
    assert "Answers come only from the procedures loaded" in captions(at)
    assert "Don't type children's or families' names" in captions(at)
    assert "Which chapter covers Staying Put?" in [b.label for b in at.button]


def test_staying_put_cites_each_source_once_with_linked_markers(at):
    ask(at, "which chapter covers Staying Put?")
    answer = at.chat_message[1].markdown[0].value
    assert "6.7.6" in answer and "[\\[1\\]](chapter?manual=" in answer  # the marker is a link
    labels = [unescape(c.value) for c in chips(at)]
    assert "[1] Derby City 6.7.6 Staying Put Policy" in labels or "[2] Derby City 6.7.6 Staying Put Policy" in labels
    assert len(labels) == len(set(labels)) == len(at.session_state["turns"][0].answer.citations)
    assert not any("…" in label for label in labels)  # whole labels, never cut off
    shown = "\n".join(unescape(m.value) for m in at.chat_message[1].markdown)
    assert shown.count("Derby City 6.7.6 Staying Put Policy") == 1  # named once in the text, not re-listed
    derby = next(c for c in chips(at) if "6.7.6" in c.value)
    assert "manual=derby-city&chapter=6.7.6" in derby.proto.query_string and "cite=" in derby.proto.query_string
    assert {b.label for b in at.download_button} >= {"Word document", "Text to copy into the case notes"}
    assert "Searched all the manuals loaded" in captions(at)


def test_a_place_named_in_the_question_wins_over_the_sidebar(at):
    at.sidebar.selectbox[0].set_value("rotherham").run()
    ask(at, "what is 6.7.6 in Derby City?")
    turn = at.session_state["turns"][0]
    assert turn.answer.grounded and {c.manual_id for c in turn.answer.citations} == {"derby-city"}
    # the partnership's manual covers Derby City too
    assert "Searched Derby City, Derby and Derbyshire (named in your question)" in captions(at)
    ask(at, "staying put")  # no place named: the sidebar's manual
    assert {c.manual_id for c in at.session_state["turns"][1].answer.citations} == {"rotherham"}
    assert "Searched Rotherham (chosen in the sidebar)" in captions(at)


def test_not_covered_points_only_to_the_manual_asked_about(at):
    ask(at, "is there guidance on teenagers with a gambling problem?")
    assert not chips(at)
    [info] = at.chat_message[1].info
    assert "don't cover" in info.value and "Local Contacts" not in info.value
    ask(at, "is there guidance on teenagers with a gambling problem in Rotherham?")
    links = [unescape(link.value) for link in at.main.page_link if link.proto.page == "chapter"]
    assert links == ["Open Rotherham 6.1 Local Contacts"]


def test_an_hr_question_is_sent_to_hr(at):
    ask(at, "what is the mileage rate?")
    assert not chips(at)
    [info] = at.chat_message[1].info
    assert "don't cover" in info.value and "HR or payroll" in info.value


def test_suggestion_button_asks(at):
    next(b for b in at.button if b.label == "What is 6.7.6 in Derby City?").click().run(timeout=60)
    assert any("Derby City 6.7.6" in unescape(c.value) for c in chips(at))
    assert not [b for b in at.button if b.label.startswith("Which chapter")]  # suggestions gone


def test_the_conversation_survives_a_reload_through_its_address(at, app_settings):
    ask(at, "staying put")
    ask(at, "leaving care")
    cid = at.query_params["c"]
    assert cid and cid == at.session_state["conversation_id"]
    again = AppTest.from_file(APP, default_timeout=120)  # a new session: only the store can bring it back
    again.query_params["c"] = cid
    again.run(timeout=120)
    assert not again.exception, again.exception
    assert [m.markdown[0].value for m in again.chat_message if m.name == "user"] == ["staying put", "leaving care"]
    assert [unescape(c.value) for c in chips(again)] == [unescape(c.value) for c in chips(at)]


def test_history_lists_this_browser_s_conversations_and_new_conversation_starts_afresh(at):
    ask(at, "staying put")
    first = at.session_state["conversation_id"]
    next(b for b in at.sidebar.button if b.label == "New conversation").click().run()
    assert at.session_state["turns"] == [] and at.session_state["conversation_id"] != first
    ask(at, "leaving care")
    history = [link for link in at.sidebar.page_link if link.proto.page in ("", "chat")]  # "": the default page
    assert [unescape(link.value) for link in history] == ["leaving care", "staying put"]
    assert history[1].proto.query_string == f"c={first}"


def test_thumbs_and_comment_are_stored(at, app_settings):
    ask(at, "Which chapter covers Staying Put?")
    at.feedback[0].set_value(1).run()
    at.text_area[0].input("Please add the Staying Put leaflet")
    next(b for b in at.button if b.label == "Send comment").click().run()
    assert "comment was saved" in captions(at)
    [row] = FeedbackStore(app_settings.app_db).rows()
    assert row["question"] == "Which chapter covers Staying Put?"
    assert (row["rating"], row["comment"]) == (1, "Please add the Staying Put leaflet")


def test_personal_details_are_masked_on_screen_in_storage_and_exports(at, app_settings):
    typed = "Tom Jones, 07700 900123, DE1 2AB - which chapter covers staying put?"
    ask(at, typed)
    user = at.chat_message[0]
    assert unescape(user.markdown[0].value) == "[name], [phone number], [postcode] - which chapter covers staying put?"
    assert "personal details" in user.warning[0].value and "masked" in user.warning[0].value
    assert "Tom Jones" not in "\n".join(unescape(m.value) for m in at.markdown)
    turn = at.session_state["turns"][0]
    assert turn.answer.grounded and turn.personal == ["name", "postcode", "phone number"]
    at.feedback[0].set_value(0).run()
    raw = sqlite3.connect(app_settings.app_db).execute(
        "SELECT group_concat(data) FROM turns").fetchone()[0] + str(FeedbackStore(app_settings.app_db).rows())
    for secret in ("Tom Jones", "07700 900123", "DE1 2AB"):
        assert secret not in raw
    from assistant.practice.case_record import build_case_record, to_text
    text = to_text(build_case_record(turn.answer, resources.load_assistant(app_settings).catalog, turn.asked, {},
                                     base_url="https://x", question=turn.question))
    assert "[name], [phone number], [postcode]" in text and "Tom Jones" not in text


def test_a_personal_comment_is_saved_masked_with_the_warning_beside_the_box(at, app_settings):
    ask(at, "Which chapter covers Staying Put?")
    at.text_area[0].input("Call mum Sarah Khan on 07700 900123")
    next(b for b in at.button if b.label == "Send comment").click().run()
    [warning] = [w for w in at.warning if "comment looked like" in w.value]
    assert "[name]" in unescape(warning.value) and "[phone number]" in unescape(warning.value)
    [row] = FeedbackStore(app_settings.app_db).rows()
    assert row["comment"] == "Call mum [name] on [phone number]"


def test_place_only_follow_up_asks_the_previous_question_there(at):
    ask(at, "Which chapter covers Staying Put?")
    ask(at, "and in Rotherham?")
    assert "Asked as: Which chapter covers Staying Put in Rotherham?" in [unescape(c.value) for c in at.caption]
    last = at.session_state["turns"][-1]
    assert last.question == "and in Rotherham?" and last.answer.grounded
    assert {c.manual_id for c in last.answer.citations} == {"rotherham"}
    ask(at, "and in Rotherham, who pays for it?")  # more than a place: asked as typed
    assert at.session_state["turns"][-1].answer.question == "and in Rotherham, who pays for it?"


def test_the_assistant_is_built_once_per_process(app_settings, monkeypatch):
    built = []
    real = resources.Assistant

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    resources.reload_assistant()
    monkeypatch.setattr(resources, "Assistant", counting)
    for _ in range(2):  # two sessions, two questions each
        at = new_app()
        ask(at, "Which chapter covers Staying Put?")
        ask(at, "What is 6.7.6 in Derby City?")
    assert len(built) == 1
