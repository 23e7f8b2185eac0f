"""Page furniture every page gets: compact headings and wrapping link labels
on a phone, and the sidebar closed after moving to another page there (a
phone shows the sidebar over the page)."""
from __future__ import annotations

import json

import streamlit as st

PHONE_WIDTH = 768  # px: below this Streamlit draws the sidebar over the page

_STYLE = f"""<style>
/* Citation chips and other page links: the whole label, wrapped, never cut off mid-word */
[data-testid="stPageLink"] a, [data-testid="stPageLink"] a p,
[data-testid="stPageLink-NavLink"], [data-testid="stPageLink-NavLink"] p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}}
@media (max-width: {PHONE_WIDTH}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 3.25rem !important; }}
  h1 {{ font-size: 1.55rem !important; padding-top: 0.25rem !important; padding-bottom: 0.25rem !important; }}
  h2 {{ font-size: 1.3rem !important; }}
  h3 {{ font-size: 1.12rem !important; }}
}}
</style>"""


def _close_sidebar_script(page: str) -> str:
    return f"""<script>
(() => {{
  const page = {json.dumps(page)};
  const last = sessionStorage.getItem("pa-last-page");
  sessionStorage.setItem("pa-last-page", page);
  if (last === null || last === page || window.innerWidth >= {PHONE_WIDTH}) return;
  const close = () => {{
    const bar = document.querySelector('[data-testid="stSidebar"]');
    const open = bar && (bar.getAttribute("data-collapsed") === "false" || bar.getAttribute("aria-expanded") === "true");
    if (!open) return true;
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) {{ button.click(); return true; }}
    return false;
  }};
  if (!close()) setTimeout(close, 300);
}})();
</script>"""


def page_furniture(page: str) -> None:
    """The shared style, and the phone's sidebar closing after moving to `page` (its url path)."""
    st.html(_STYLE)
    st.html(_close_sidebar_script(page or "chat"), unsafe_allow_javascript=True)
