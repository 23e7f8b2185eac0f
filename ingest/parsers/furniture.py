"""Page furniture: the lines a saved or exported page carries around its
content that are never content. Defined once and shared by every parser.

Skip links, logo lines, regional banners ("View West Midlands Procedures"),
breadcrumbs, text-size and print links, "Top of page"/"End", cookie notices and
accordion controls ("Expand all"). Only short, whole lines count: a sentence
that mentions a logo or cookies is prose.

Also the site's own pages (accessibility statement, cookie and privacy
policies, terms, site map, search): their headings say they are no procedure.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORDS_MAX = 12  # furniture lines are short; longer ones are prose
_NOTICE_WORDS_MAX = 60  # a cookie notice is a sentence or two

_WORDINGS = (
    r"^skip (?:to|navigation)\b",  # "Skip to main content", "Skip to content"
    # "Company Logo", "Brackenshire Council logo"; not "Use of the Council Logo".
    r"^(?:(?!(?:of|the|for|to|use|using|with|in|on)\b)[\w&'’.,-]+\s+){0,5}logo(?:\s+alt\s+text\b.*)?$",
    r"^logo\b",
    r"^view (?:the )?[\w&'’(),. -]{0,80}\b(?:procedures?|manuals?|guidance|website|site|handbook)\s*[›>»]?$",
    r"^(?:you are here\s*:?\s*)?home\s*(?:[>»›|/]|&gt;)",  # breadcrumbs
    r"^you are here\b",
    r"^(?:text|font)[ -]size\b", r"^(?:increase|decrease|reset|change) (?:the )?(?:text|font)\b",
    r"^(?:a[+-]?\s*){2,3}$",  # "A A A", "A- A A+"
    r"^(?:text only|high (?:visibility|contrast)|accessibility tools?|listen|translate)(?: \w+)?$",
    r"^(?:back to |go to )?top(?: of (?:the )?page)?\s*[↑^]?$",
    r"^(?:end|print|print (?:this )?(?:page|chapter)|email (?:this )?page|share(?: this page)?|bookmark"
    r"|search|menu|home|close|main menu|site map|sitemap)$",
    r"^(?:(?:expand|collapse|open|close|show|hide) all(?: sections)?\s*)+$",
    r"^caption\s*:",
    # Cookie banner buttons, alone or in a row: "Accept Reject Cookie settings".
    r"^(?:(?:accept|reject|allow|decline)(?: all)?(?: (?:optional |non-essential |additional )?cookies)?"
    r"|(?:cookie|cookies) (?:settings|preferences)|manage cookies)(?:\s+(?:(?:accept|reject|allow|decline)"
    r"(?: all)?(?: (?:optional |non-essential |additional )?cookies)?|(?:cookie|cookies) (?:settings|preferences)"
    r"|manage cookies))*$",
    r"^powered by\b",
    r"^(?:cookie|cookies) (?:settings|preferences|notice|banner)$",
    r"^(?:manage|change) (?:my |your )?cookie(?:s| settings| preferences)?$",
    r"^(?:i )?(?:agree|ok|got it)$",
    # Footer links to the site's own pages: "Accessibility statement", "Privacy notice", "Contact us".
    r"^(?:accessibility(?: statement)?|privacy(?: (?:notice|policy|statement))?|cookies?(?: policy)?"
    r"|terms (?:and|&) conditions|terms of use|disclaimer|site ?map|contact us)$",
)
_PATTERN = re.compile("|".join(f"(?:{w})" for w in _WORDINGS), re.IGNORECASE)  # one search per line


_SEPARATORS = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
# Longer furniture: a cookie notice, a copyright footer with its links.
_NOTICE = re.compile(r"^(?:(?:we|this (?:web)?site) (?:uses?|sets?) (?:essential |some |a few )?"
                     r"(?:cookies|small files called cookies)\b|©|\(c\) |copyright\b)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def is_furniture(text: str) -> bool:
    """True when a whole line is page furniture, never content."""
    text = _undoubled(" ".join(text.replace("\u00a0", " ").split()).strip(" |:"))
    words = len(text.split())
    if not text or words > _NOTICE_WORDS_MAX:
        return False
    if _NOTICE.search(text):
        return True
    if words > _WORDS_MAX:
        return False
    # "Expand all | Collapse all", "Print • Email this page": every piece furniture.
    pieces = [piece for piece in _SEPARATORS.split(text) if piece.strip()]
    return bool(pieces) and all(_PATTERN.search(piece.strip()) for piece in pieces)


def _undoubled(text: str) -> str:
    """One copy of a line that exports print twice over ("View X manual View X manual")."""
    words = text.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return text


_SITE_PAGE = re.compile(
    r"^(?:accessibility(?: statement)?|cookies?|cookie (?:policy|notice|settings|preferences)|privacy"
    r"|privacy (?:policy|notice|statement)|terms (?:and|&) conditions|terms of use|disclaimer|copyright"
    r"|site ?map|search|search results|help|contact us|feedback|log ?in|sign in|page not found|404"
    r"|about (?:this|the) (?:site|website))\b", re.IGNORECASE)


def is_site_page(heading: str) -> bool:
    """True when a page's heading names one of the site's own pages
    ("Accessibility statement for …", "Cookie policy"), never a chapter."""
    return bool(_SITE_PAGE.match(" ".join(heading.split())))
