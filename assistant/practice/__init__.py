"""Practice features that stand beside answering: personal-data checks,
case-record exports, conversations, feedback, induction paths and quizzes,
admin sign-in. Product logic with no Streamlit in it; the app's views call it."""
