"""The Induction page through Streamlit's AppTest, inside the real app
(navigation included) over the sample store: choose a manual and role, see
the path, tick a chapter and find it ticked in a new session, take the quiz."""
from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from ui import resources
from assistant.practice.ticks import TickStore
from vectorstore.settings import REPO_ROOT

PAGE = "views/induction.py"


@pytest.fixture
def app_env(sample_settings, monkeypatch):
    """The app's environment pointing at the session's sample store."""
    for name, value in {"PA_DATA_DIR": sample_settings.data_dir, "PA_STORE_DIR": sample_settings.store_dir,
                        "PA_MANUALS_DIR": sample_settings.manuals_dir, "PA_APP_DB": sample_settings.app_db}.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    resources.get_settings.clear()
    yield sample_settings
    resources.get_settings.clear()


def open_page(manual: str, role: str, user: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "ui" / "app.py"), default_timeout=240)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    at.selectbox(key="induction_manual").set_value(manual)
    at.selectbox(key="induction_role").set_value(role)
    at.text_input(key="induction_user").set_value(user)
    at.run()
    assert not at.exception, at.exception
    return at


def links(at: AppTest) -> dict[str, str]:
    """Chapter link label -> its query string."""
    return {link.proto.label: link.proto.query_string for link in at.get("page_link") if link.proto.page == "chapter"}


def tick_for(at: AppTest, chapter: str):
    return next(box for box in at.checkbox if box.key.split("|")[3] == chapter)


def test_choose_manual_and_role_and_see_the_path(app_env):
    at = open_page("rotherham", "social-worker", "Reader " + uuid.uuid4().hex[:6])
    shown = links(at)
    supervision = next(label for label in shown if label.startswith("1.1.6 "))
    assert shown[supervision] == "manual=rotherham&chapter=1.1.6"
    assert any(label.startswith("4.8.2 Staying Put") for label in shown)
    assert all("manual=rotherham" in query for query in shown.values())
    assert any("Supervision" in md.value for md in at.markdown)
    assert "0 of" in at.get("progress")[0].proto.text

    at.selectbox(key="induction_manual").set_value("leicestershire").run()
    other = links(at)
    assert other and all("manual=leicestershire" in query for query in other.values())
    assert any("nothing that clearly covers" in info.value and "Leaving care" in info.value for info in at.info)


def test_a_tick_persists_for_that_user_only(app_env):
    user = "Sam " + uuid.uuid4().hex[:6]
    at = open_page("rotherham", "social-worker", user)
    box = tick_for(at, "1.1.6")
    assert box.value is False
    box.check().run()
    assert not at.exception
    assert any(chapter == "1.1.6" for chapter, _ in TickStore(app_env.app_db).ticked(user, "rotherham"))
    assert "1 of" in at.get("progress")[0].proto.text

    again = open_page("rotherham", "social-worker", user.upper())  # a new session; names ignore case
    assert tick_for(again, "1.1.6").value is True
    someone_else = open_page("rotherham", "social-worker", "Alex " + uuid.uuid4().hex[:6])
    assert tick_for(someone_else, "1.1.6").value is False

    tick_for(again, "1.1.6").uncheck().run()
    assert not any(chapter == "1.1.6" for chapter, _ in TickStore(app_env.app_db).ticked(user, "rotherham"))


def test_without_a_name_ticks_are_disabled(app_env):
    at = open_page("rotherham", "social-worker", "")
    assert at.checkbox and all(box.disabled for box in at.checkbox)


def test_quiz_me_checks_the_answers(app_env):
    at = open_page("derby-city", "social-worker", "Quizzer " + uuid.uuid4().hex[:6])
    next(b for b in at.button if b.label == "Quiz me").click().run()
    questions = at.session_state["induction_quiz"]["questions"]
    assert len(questions) == len(at.radio) == 5
    for radio, question in zip(at.radio, questions):
        radio.set_value(question.correct)
    next(b for b in at.button if b.label == "Check answers").click().run()
    assert not at.exception
    assert not at.success  # a neutral score box, not a green "success"
    assert any("You answered 5 of 5 correctly" in m.value for m in at.markdown)

    for radio, question in zip(at.radio, questions):
        radio.set_value(next(o for o in question.options if o != question.correct))
    next(b for b in at.button if b.label == "Check answers").click().run()
    assert any("You answered 0 of 5 correctly" in m.value for m in at.markdown)
    assert sum("The answer is" in md.value for md in at.markdown) == 5


def test_only_manuals_with_chapters_are_offered_and_no_internal_message_shows(app_env):
    at = open_page("rotherham", "social-worker", "")
    options = at.selectbox(key="induction_manual").options
    assert "ddscp" not in options and "Derby and Derbyshire" not in options  # amendments only
    at.selectbox(key="induction_manual").set_value("derbyshire").run()
    text = " ".join(i.value for i in at.info)
    assert "it may hold only amendments" not in text and "confidently" not in text


def test_quiz_questions_ask_what_chapters_cover(app_env):
    at = open_page("derby-city", "social-worker", "")
    next(b for b in at.button if b.label == "Quiz me").click().run()
    questions = at.session_state["induction_quiz"]["questions"]
    assert questions and all(q.id.split(":")[0] in {"cover", "about", "says"} for q in questions)
    assert not any("chapter number" in q.prompt.lower() for q in questions)
