"""Whose conversations a browser sees in its history: the signed-in user's
(where the app uses OpenID Connect), else a random key this browser keeps in
a cookie of its own. No name or address is involved: the key only tells one
browser's conversations from another's."""
from __future__ import annotations

import re
import secrets

import streamlit as st

COOKIE = "pa_browser"
OWNER = "owner_key"
_VALID = re.compile(r"^[0-9a-f]{32}$")
YEAR = 365 * 24 * 3600


def owner_key() -> str:
    """This session's owner key, setting the browser's cookie on its first visit."""
    if OWNER in st.session_state:
        return st.session_state[OWNER]
    try:
        if st.user.is_logged_in and st.user.get("email"):
            st.session_state[OWNER] = f"user:{str(st.user.get('email')).lower()}"
            return st.session_state[OWNER]
    except Exception:  # no auth configured
        pass
    cookie = (st.context.cookies or {}).get(COOKIE, "")
    if not _VALID.match(cookie or ""):
        cookie = secrets.token_hex(16)
        st.html(f"<script>document.cookie = '{COOKIE}={cookie}; Max-Age={YEAR}; Path=/; SameSite=Lax';</script>",
                unsafe_allow_javascript=True)
    st.session_state[OWNER] = f"browser:{cookie}"
    return st.session_state[OWNER]
