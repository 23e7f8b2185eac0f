"""Who may see the admin pages: a session signed in with the admin password
(PA_ADMIN_PASSWORD_HASH, checked against its hash), or, where the app is set
up for OpenID Connect (`[auth]` in .streamlit/secrets.toml), a signed-in user
whose email `[admins] emails = [...]` lists. Nothing else opens them: the admin
page is only registered for such a session, and checks again itself."""
from __future__ import annotations

import streamlit as st

from assistant.practice.passwords import verify_password
from vectorstore.settings import Settings

SIGNED_IN = "admin_signed_in"


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_admin() -> bool:
    if not oidc_configured():
        return False
    try:
        admins = [e.lower() for e in st.secrets.get("admins", {}).get("emails", [])]
        return bool(st.user.is_logged_in) and str(st.user.get("email", "")).lower() in admins
    except Exception:
        return False


def is_admin() -> bool:
    """Whether this session may see the admin pages."""
    return st.session_state.get(SIGNED_IN) is True or _oidc_admin()


def sign_in(settings: Settings, password: str) -> bool:
    """Sign this session in when the password matches the stored hash."""
    if settings.admin_password_hash and verify_password(password, settings.admin_password_hash):
        st.session_state[SIGNED_IN] = True
        return True
    return False


def sign_out() -> None:
    st.session_state.pop(SIGNED_IN, None)
    if _oidc_admin():
        st.logout()


def require_admin() -> None:
    """Stop the page here unless this session is an admin's."""
    if not is_admin():
        st.title("Page not found")
        st.info("This page isn't available.")
        st.stop()
