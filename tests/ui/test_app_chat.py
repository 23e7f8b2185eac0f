"""The Chat page, driven through the real app (ui/app.py) with AppTest over
the sample store."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from ui import resources
from ui.feedback import WITHHELD, FeedbackStore
from vectorstore.settings import REPO_ROOT

APP = str(REPO_ROOT / "ui" / "app.py")


@pytest.fixture
def app_settings(sample_settings, tmp_path, monkeypatch):
    """The sample store, with this test's own feedback database, given to the app through the environment."""
    settings = sample_settings.with_(app_db=tmp_path / "app.sqlite3")
    env = {"PA_DATA_DIR": settings.data_dir, "PA_MANUALS_DIR": settings.manuals_dir,
           "PA_STORE_DIR": settings.store_dir, "PA_APP_DB": settings.app_db}
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    for name in ("CHROMA_HOST", "PA_COLLECTION", "PA_EMBEDDER", "PA_EMBEDDER_PATH", "PA_WRITER"):
        monkeypatch.delenv(name, raising=False)
    resources.get_settings.clear()
    yield settings
    resources.get_settings.clear()


@pytest.fixture
def at(app_settings):
    app = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not app.exception, app.exception
    return app


def ask(at, question):
    at.chat_input[0].set_value(question).run(timeout=60)
    assert not at.exception, at.exception
    return at


def chips(at):
    return [link for link in at.main.page_link if link.proto.page == "chapter"]


def unescape(text):
    return text.replace("\\", "")


def test_empty_chat_offers_notices_and_suggestions(at):
    captions = " ".join(c.value for c in at.caption)
    assert "Answers come only from the procedures loaded" in captions
    assert "check the chapter itself" in captions
    assert "personal details" in " ".join(c.value for c in at.sidebar.caption)
    assert "Which chapter covers Staying Put?" in [b.label for b in at.button]


def test_staying_put_answer_with_chips(at):
    ask(at, "which chapter covers Staying Put?")
    answer = at.chat_message[1].markdown[0].value
    assert "6.7.6" in answer
    labels = [unescape(c.value) for c in chips(at)]
    assert any("Derby City 6.7.6 Staying Put Policy" in label for label in labels)
    assert any("Rotherham 4.8.2 Staying Put Policy" in label for label in labels)
    derby = next(c for c in chips(at) if "6.7.6" in c.value)
    assert "manual=derby-city&chapter=6.7.6" in derby.proto.query_string
    assert "cite=" in derby.proto.query_string
    assert {b.label for b in at.download_button} >= {"CSV", "Markdown"}


def test_not_covered_shows_info_and_no_chips(at):
    ask(at, "is there guidance on teenagers with a gambling problem?")
    assert not chips(at)
    [info] = at.chat_message[1].info
    assert "don't cover" in info.value and "Local Contacts" in info.value


def test_an_hr_question_is_sent_to_hr(at):
    ask(at, "what is the mileage rate?")
    assert not chips(at)
    [info] = at.chat_message[1].info
    assert "don't cover" in info.value and "HR or payroll" in info.value


def test_suggestion_button_asks(at):
    next(b for b in at.button if b.label == "What is 6.7.6 in Derby City?").click().run(timeout=60)
    assert any("Derby City 6.7.6" in unescape(c.value) for c in chips(at))
    assert not [b for b in at.button if b.label.startswith("Which chapter")]  # suggestions gone


def test_conversation_is_kept_and_scope_persists(at):
    at.sidebar.selectbox[0].set_value("rotherham").run()
    ask(at, "staying put")
    ask(at, "leaving care")
    assert [m.markdown[0].value for m in at.chat_message if m.name == "user"] == ["staying put", "leaving care"]
    assert len(at.session_state["chat"]) == 2
    assert {t["manual"] for t in at.session_state["chat"]} == {"rotherham"}
    assert all("manual=rotherham" in c.proto.query_string for c in chips(at))


def test_thumbs_and_comment_are_stored(at, app_settings):
    ask(at, "Which chapter covers Staying Put?")
    at.feedback[0].set_value(1).run()
    at.text_area[0].input("Please add the Staying Put leaflet")
    next(b for b in at.button if b.label == "Send comment").click().run()
    assert "comment was saved" in " ".join(c.value for c in at.caption)
    [row] = FeedbackStore(app_settings.app_db).rows()
    assert row["question"] == "Which chapter covers Staying Put?"
    assert (row["rating"], row["comment"]) == (1, "Please add the Staying Put leaflet")
    assert "6.7.6" in {c["chapter"] for c in json.loads(row["citations"])}


def test_privacy_warning_and_question_withheld(at, app_settings):
    ask(at, "Jane Smith DOB 01/02/2015 NHS 943 476 5919")
    warning = " ".join(w.value for w in at.warning)
    assert "personal details" in warning and "NHS number" in warning and "date of birth" in warning
    at.feedback[0].set_value(0).run()
    [row] = FeedbackStore(app_settings.app_db).rows()
    assert row["question"] == WITHHELD


def test_personal_comment_is_not_stored(at, app_settings):
    ask(at, "Which chapter covers Staying Put?")
    at.text_area[0].input("Call mum on 07700 900123")
    next(b for b in at.button if b.label == "Send comment").click().run()
    assert "was not saved" in " ".join(w.value for w in at.warning)
    assert FeedbackStore(app_settings.app_db).rows() == []


def test_place_only_follow_up_asks_the_previous_question_there(at):
    ask(at, "Which chapter covers Staying Put?")
    ask(at, "and in Rotherham?")
    assert "Asked as: Which chapter covers Staying Put in Rotherham?" in [c.value for c in at.caption]
    last = at.session_state["chat"][-1]
    assert last["question"] == "and in Rotherham?" and last["answer"].grounded
    assert {c.manual_id for c in last["answer"].citations} == {"rotherham"}
    ask(at, "and in Rotherham, who pays for it?")  # more than a place: asked as typed
    assert at.session_state["chat"][-1]["answer"].question == "and in Rotherham, who pays for it?"


def test_model_and_store_load_once_per_process(app_settings, monkeypatch):
    built = []
    real = resources.Assistant

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    resources.reload_assistant()
    monkeypatch.setattr(resources, "Assistant", counting)
    for _ in range(2):  # two sessions, two questions each
        at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
        ask(at, "Which chapter covers Staying Put?")
        ask(at, "What is 6.7.6 in Derby City?")
    assert len(built) == 1
    assert resources.load_embedder(app_settings) is resources.load_embedder(app_settings)


def test_case_record_dated_in_the_users_time_zone(at):
    at.context = {"timezone": "Europe/London"}
    ask(at, "Which chapter covers Staying Put?")
    record = at.session_state["chat"][0]["record"]
    assert str(record.retrieved.tzinfo) == "Europe/London"
    assert record.cited[0].app_link.startswith("chapter?manual=")
