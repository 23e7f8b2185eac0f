"""Admin sign-in: the password from the environment (stored hashed), or the
organisation's sign-in (OpenID Connect) where the app is set up for it."""
from __future__ import annotations

import streamlit as st

from ui import access, resources

settings = resources.get_settings()


def _try(password_key: str) -> None:
    if access.sign_in(settings, st.session_state.get(password_key, "")):
        st.session_state["sign_in_failed"] = False
    else:
        st.session_state["sign_in_failed"] = True
    st.session_state[password_key] = ""


def main() -> None:
    st.title("Admin sign-in")
    if access.is_admin():
        st.success("You are signed in as an admin.", icon=":material/verified_user:")
        st.page_link("views/admin.py", label="Open the admin page", icon=":material/admin_panel_settings:")
        return
    st.caption("For whoever maintains the procedures: feedback, the questions the manuals didn't answer, "
               "and loading the manuals.")
    if access.oidc_configured():
        st.button("Sign in with your organisation account", icon=":material/login:", on_click=st.login)
    if not settings.admin_password_hash:
        if not access.oidc_configured():
            st.info("Admin sign-in isn't set up on this server (no PA_ADMIN_PASSWORD_HASH).")
        return
    with st.form("sign_in", clear_on_submit=False, border=False):
        st.text_input("Admin password", type="password", key="admin_password")
        st.form_submit_button("Sign in", type="primary", on_click=_try, args=("admin_password",))
    if st.session_state.get("sign_in_failed"):
        st.error("That password isn't right.")


main()
