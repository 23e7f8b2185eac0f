"""Is this answer the page we asked for? A sign-in form, a cookie wall or a
PDF in place of a chapter is reported, never saved over the chapter's copy."""
from __future__ import annotations

import re
from typing import Optional

from bs4 import BeautifulSoup

HTML_TYPES = ("text/html", "application/xhtml+xml")
_WALL_WORDS = re.compile(r"\b(accept|allow|agree to|consent to)\b.{0,40}\bcookies?\b|\bcookies?\b.{0,60}"
                         r"\b(to continue|before you continue|to view)", re.IGNORECASE | re.DOTALL)
_SIGN_IN = re.compile(r"\b(log ?in|sign ?in)\b", re.IGNORECASE)
SHORT_PAGE = 800  # characters of visible text: a wall is short; a chapter says much more


def not_html(content_type: str) -> Optional[str]:
    """Why an answer is no web page ("" content types are let through to the parser's checks)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        return f"not an HTML page ({kind}): not saved"
    return None


def wall(html: str) -> Optional[str]:
    """Why the page looks like a sign-in page or a cookie wall instead of content (None: it doesn't)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    text = " ".join(soup.get_text(" ").split())
    if soup.find("input", attrs={"type": re.compile("^password$", re.IGNORECASE)}):
        return "a sign-in page came back instead of the page's content: not saved"
    short = len(text) < SHORT_PAGE
    forms = soup.find_all("form")
    if short and forms and _SIGN_IN.search(text):
        return "a sign-in page came back instead of the page's content: not saved"
    if short and _WALL_WORDS.search(text):
        return "a cookie wall came back instead of the page's content: not saved"
    return None
