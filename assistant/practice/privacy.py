"""Personal-data detection and masking for questions and comments.

It looks for what identifies a child or family: a name beside a date of
birth, an age, an address or a contact detail; a title and surname ("Mrs
Patel"); a known first name with a surname; UK postcodes, NHS numbers (their
check digit verified), phone numbers, email addresses and National Insurance
numbers. Masking puts a label in place of each detail ("[name]", "[date of
birth]"…), so a question stays readable without saying whose it was.

What it leaves alone on purpose: chapter numbers, "Section 47", dates of
amendments or meetings with no name beside them, ages with no name ("a 15 year
old"), and numbers an organisation publishes (a team's or helpline's phone
number, a duty mailbox): they identify nobody.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional
from vectorstore.text import MONTH_PATTERN

NAME, DOB, POSTCODE, PHONE, EMAIL, NHS, NI, ADDRESS = (
    "name", "date of birth", "postcode", "phone number", "email", "NHS number", "NI number", "address")
KINDS = (NAME, DOB, POSTCODE, PHONE, EMAIL, NHS, NI, ADDRESS)
FIRST_NAMES_FILE = Path(__file__).with_name("first_names.txt")


def placeholder(kind: str) -> str:
    """What masking puts in place of a detail: "[date of birth]"."""
    return f"[{kind}]"


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    start: int
    end: int
    text: str


# -- patterns -------------------------------------------------------------------
_MONTH = MONTH_PATTERN + r"\b"
_DATE = (rf"(?:\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})\b"
         rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{2,4}}\b"
         rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)")
DATE = re.compile(_DATE, re.IGNORECASE)
_DOB_CUE = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bborn(?:\s+on)?\b|\bbirthday\b|\bb\.(?=\s*\d))"
DOB_CUED = re.compile(rf"{_DOB_CUE}\s*(?:is|was|=)?\s*[:\-]?\s*(?:on\s+)?(?P<date>{_DATE})"
                      rf"|(?P<date2>{_DATE})\s*\(?\s*{_DOB_CUE}", re.IGNORECASE)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Mailboxes of a service rather than a person.
ROLE_MAILBOXES = {"mash", "duty", "admin", "info", "enquiries", "enquiry", "referrals", "referral", "contact",
                  "contactus", "helpdesk", "servicedesk", "edt", "frontdoor", "safeguarding", "reception",
                  "office", "team", "complaints", "fostering", "adoption", "lado", "iro", "hr", "payroll"}
NHS_RE = re.compile(r"(?<![\d+])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])")
NHS_CUE = re.compile(r"\bnhs\b(?:\s*(?:no|number|num|#)\b\.?)?\s*[:\-]?\s*$", re.IGNORECASE)
NI_RE = re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
                   re.IGNORECASE)
NI_CUE = re.compile(r"\b(?:n\.?\s?i\.?|national\s+insurance)\b", re.IGNORECASE)
PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?P<area>\d)\d{1,4}\)?(?:[\s\-]?\d){6,8}(?!\d)")
# Words that say a number belongs to an organisation, within a few words before it.
ORG_CUE = re.compile(
    r"\b(?:team|service|services|duty|desk|line|helpline|office|mash|hub|reception|switchboard|council|police|"
    r"centre|center|edt|hours|emergency|advice|front door|school|surgery|hospital|ward|clinic|nursery|unit|"
    r"contact centre|freephone|childline|nspcc|lado|iro|panel|court)\b[^.?!\d]{0,30}$", re.IGNORECASE)
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"\b{_POSTCODE}\b", re.IGNORECASE)
_ORDINAL_TAIL = re.compile(r"\d(?:st|nd|rd|th)$")
_STREET = (r"(?:road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|grove|"
           r"gardens|gdns|terrace|walk|row|square|sq|hill|mews|view|rise|green|park|parade|boulevard|croft|fold|"
           r"meadow|meadows|vale|wharf)")
ADDRESS_RE = re.compile(rf"\b(?:flat\s+\d{{1,4}}[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z][a-z'’-]+\s+){{1,3}}{_STREET}\b\.?",
                        re.IGNORECASE)
FLAT_RE = re.compile(r"\bflat\s+\d{1,4}[a-z]?\b", re.IGNORECASE)
# A number that is a part of a document, not a house ("Section 3 Family Court…").
_DOC_PART = re.compile(r"\b(?:section|sections|chapter|regulation|reg|part|article|schedule|paragraph|para|"
                       r"appendix|form|step|stage|level|tier|page|standard|rule|s)\.?\s*$", re.IGNORECASE)
_INSTITUTION = re.compile(r"\b(?:family|youth|crown|magistrates'?|county|high|appeal|district|coroner'?s|"
                          r"care|foster|children'?s|supreme)\s+court\b", re.IGNORECASE)
AGE_AFTER = re.compile(r"^\s*(?:,|\(|-|–)?\s*(?:(?:who\s+)?is\s+|aged?\s+|age\s*:?\s*)?(\d{1,2})\s*"
                       r"(?:\)|yo\b|y/o|yrs?\b|years?(?:\s+old)?\b|,|\.|$|\s)", re.IGNORECASE)
AGE_BEFORE = re.compile(r"\b(\d{1,2})\s*(?:-|\s)?(?:yo|y/o|yrs?|years?)(?:\s*-?\s*old)?\s*$", re.IGNORECASE)
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?"
_CAP = r"(?:Mc|Mac|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
CAPS = re.compile(rf"(?<![\w'’-])(?:{HONORIFIC}\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}(?![\w'’-])")
_HONORIFIC_START = re.compile(rf"^{HONORIFIC}\s+")
WORD = re.compile(r"[A-Za-z'’]+")

# Capitalised words that make no name on their own (question words, the service's
# own vocabulary, days and months). Callers add the words of chapter titles and places.
COMMON_WORDS = frozenset("""
a an the and or of in on at to for from by with about what which when where who whom whose why how does do did
is are was were be been can could should would will shall may might must has have had if then there here this
that these those it its i we you he she they my our your his her their me us him them hi hello please thanks
thank ok yes no not any some all every each new old where's what's who's hey also just
child children young person people family families parent parents carer carers foster fostering adoption
adopter adopters social care worker workers team teams service services council city county borough court
courts policy policies procedure procedures chapter chapters section sections plan plans conference
conferences meeting meetings review reviews protection safeguarding partnership board manual guidance
looked after leaving staying put placement placements home homes school schools police health nhs gp
assessment assessments referral referrals strategy discussion order orders act law legal care-leaver
mum dad mother father nan grandma grandad gran aunt uncle brother sister baby step
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
england english uk britain british local authority la lac cin cp s47 mash lado iro edt dob
working together early help initial core single multi agency emergency interim supervision secure remand
north south east west street road lane avenue mr mrs ms miss dr
""".split())

# Words that make the capitalised words before them an organisation ("Lucy Faithfull Foundation").
ORGANISATION_WORDS = frozenset("""
foundation trust charity centre center institute house hospital school academy college university surgery
practice clinic ltd limited plc group partnership board service services team unit society association
council court tool model approach framework law scheme act judgment ruling review inquiry report
""".split())


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The first-name list (lower case)."""
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


# -- detection ---------------------------------------------------------------------
def find_personal_data(text: str, not_names: Optional[Iterable[str]] = None) -> list[Finding]:
    """What in `text` looks like a child's or family's personal details, in text order.

    `not_names` adds words (lower case) that make no name on their own, such as
    the words of chapter titles and place names: "Child Protection 01/02/2021"
    is no name, but "Jane Young 01/02/2015" still is."""
    text = text or ""
    vocabulary = COMMON_WORDS | frozenset(w.lower() for w in (not_names or ()))
    found: list[Finding] = []
    for finder in (_emails, _dates_of_birth, _nhs_numbers, _ni_numbers, _phones, _addresses, _postcodes):
        found += [f for f in finder(text) if not _overlaps(f, found)]
    found += [f for f in _names(text, vocabulary, found) if not _overlaps(f, found)]
    return sorted(found, key=lambda f: f.start)


def mask(text: str, findings: Optional[Iterable[Finding]] = None, not_names: Optional[Iterable[str]] = None) -> str:
    """`text` with each personal detail replaced by its label ("[name], [postcode]")."""
    text = text or ""
    findings = find_personal_data(text, not_names) if findings is None else list(findings)
    out, at = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < at:
            continue
        out += [text[at:f.start], placeholder(f.kind)]
        at = f.end
    out.append(text[at:])
    return "".join(out)


def _overlaps(finding: Finding, found: list[Finding]) -> bool:
    return any(finding.start < f.end and f.start < finding.end for f in found)


def _emails(text: str) -> list[Finding]:
    return [Finding(EMAIL, m.start(), m.end(), m.group(0)) for m in EMAIL_RE.finditer(text)
            if m.group(0).split("@")[0].lower().replace(".", "").replace("-", "") not in ROLE_MAILBOXES]


def _dates_of_birth(text: str) -> list[Finding]:
    found = []
    for m in DOB_CUED.finditer(text):
        group = "date" if m.group("date") else "date2"
        found.append(Finding(DOB, m.start(group), m.end(group), m.group(group)))
    return found


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check: the tenth digit follows from the first nine."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> list[Finding]:
    found = []
    for m in NHS_RE.finditer(text):
        digits = "".join(m.groups())
        cued = bool(NHS_CUE.search(text[max(0, m.start() - 20):m.start()]))
        if digits.startswith("0") and not cued:
            continue  # a phone number written without spaces
        if cued or nhs_check_digit_ok(digits):
            found.append(Finding(NHS, m.start(), m.end(), m.group(0)))
    return found


def _ni_numbers(text: str) -> list[Finding]:
    found = []
    for m in NI_RE.finditer(text):
        value = m.group(0)
        if value.isupper() or NI_CUE.search(text[max(0, m.start() - 30):m.start()]):
            found.append(Finding(NI, m.start(), m.end(), value))
    return found


def _phones(text: str) -> list[Finding]:
    found = []
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        digits = "0" + digits[2:] if digits.startswith("44") else digits
        if not 10 <= len(digits) <= 11:
            continue
        if m.group("area") in "3589":  # 03, 05, 08, 09: non-geographic, an organisation's line
            continue
        mobile = m.group("area") == "7"
        if not mobile and ORG_CUE.search(text[max(0, m.start() - 60):m.start()]):
            continue
        found.append(Finding(PHONE, m.start(), m.end(), m.group(0).strip()))
    return found


def _addresses(text: str) -> list[Finding]:
    found = []
    for m in ADDRESS_RE.finditer(text):
        if _DOC_PART.search(text[max(0, m.start() - 15):m.start()]) or _INSTITUTION.search(m.group(0)):
            continue
        found.append(Finding(ADDRESS, m.start(), m.end(), m.group(0).rstrip(".")))
    if not found:
        found += [Finding(ADDRESS, m.start(), m.end(), m.group(0)) for m in FLAT_RE.finditer(text)]
    return [Finding(f.kind, f.start, f.start + len(f.text), f.text) for f in found]


def _postcodes(text: str) -> list[Finding]:
    found = []
    for m in POSTCODE_RE.finditer(text):
        value = m.group(0)
        if not value.isupper() and _ORDINAL_TAIL.search(value.lower()):
            continue  # "s47 2nd meeting", not a postcode
        if not value.isupper() and not re.search(r"\d[a-z]{2}$", value):
            continue
        found.append(Finding(POSTCODE, m.start(), m.end(), value))
    return found


def _names(text: str, vocabulary: frozenset[str], others: list[Finding]) -> list[Finding]:
    """Names: a title and surname, or a known first name with a surname, always;
    any other run of capitalised words, or a lone first name, only beside an
    age or when the text holds another personal detail."""
    context = bool(others) or bool(DATE.search(text))
    found = []
    for m in CAPS.finditer(text):
        span = _trim(text, m.start(), m.end(), vocabulary)
        if span is None:
            continue
        start, end = span
        words = WORD.findall(_HONORIFIC_START.sub("", text[start:end]))
        if _organisation_follows(text, end) or any(w.lower() in ORGANISATION_WORDS for w in words):
            continue
        honorific = bool(_HONORIFIC_START.match(text[start:end]))
        known_first = words[0].lower() in first_names()
        if honorific or (known_first and len(words) >= 2):
            found.append(Finding(NAME, start, end, text[start:end]))
        elif known_first and (context or _beside_age(text, start, end)):
            found.append(Finding(NAME, start, end, text[start:end]))
        elif len(words) >= 2 and (context or _beside_age(text, start, end)) and not _sentence_of_title(words):
            found.append(Finding(NAME, start, end, text[start:end]))
    if others or found:
        found += _lowercase_names(text, vocabulary, found + others)
    return found


def _trim(text: str, start: int, end: int, vocabulary: frozenset[str]) -> Optional[tuple[int, int]]:
    """The span without leading and trailing words that make no name ("Can Tom" -> "Tom");
    None when a word inside is one ("Tom Child Protection")."""
    tokens = [(m.start() + start, m.end() + start, m.group(0)) for m in WORD.finditer(text[start:end])]
    honorific = bool(_HONORIFIC_START.match(text[start:end]))
    if honorific:
        tokens = tokens[1:]
    keep = [t for t in tokens]
    while keep and _not_a_name(keep[0][2], vocabulary):
        keep.pop(0)
        honorific = False
    while keep and _not_a_name(keep[-1][2], vocabulary):
        keep.pop()
    if not keep or any(_not_a_name(t[2], vocabulary) for t in keep):
        return None
    return (start if honorific else keep[0][0]), keep[-1][1]


def _not_a_name(word: str, vocabulary: frozenset[str]) -> bool:
    plain = word.lower().strip("'’")
    plain = plain[:-2] if plain.endswith(("'s", "’s")) else plain
    return plain in vocabulary and plain not in first_names() or plain in COMMON_WORDS


def _organisation_follows(text: str, end: int) -> bool:
    following = WORD.match(text[end:].lstrip())
    return bool(following) and following.group(0).lower() in ORGANISATION_WORDS


def _sentence_of_title(words: list[str]) -> bool:
    """Capitalised words that read as a heading, not a name (too many to be one)."""
    return len(words) > 3


def _beside_age(text: str, start: int, end: int) -> bool:
    return bool(AGE_AFTER.match(text[end:end + 24]) or AGE_BEFORE.search(text[max(0, start - 20):start]))


def _lowercase_names(text: str, vocabulary: frozenset[str], found: list[Finding]) -> list[Finding]:
    """"jane smith dob …": a known first name typed in lower case, with the word after it."""
    names = []
    for m in re.finditer(r"\b([a-z][a-z'’]+)(?:\s+([a-z][a-z'’-]+))?\b", text):
        first, second = m.group(1), m.group(2)
        if first not in first_names() or first in vocabulary:
            continue
        end = m.end(2) if second and second not in vocabulary and not DATE.match(second) else m.end(1)
        finding = Finding(NAME, m.start(1), end, text[m.start(1):end])
        if not _overlaps(finding, found + names):
            names.append(finding)
    return names


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words of `texts` (chapter titles, place names), for `not_names`."""
    return frozenset(w.lower() for t in texts for w in re.findall(r"[A-Za-z'’-]+", t))


def kinds_of(findings: Iterable[Finding]) -> list[str]:
    """The kinds found, each once, in the order of KINDS."""
    present = {f.kind for f in findings}
    return [k for k in KINDS if k in present]


def warning_text(kinds: Iterable[str]) -> str:
    """The warning shown where a question or comment looked personal (`kinds` from findings)."""
    listed = ", ".join(k for k in KINDS if k in set(kinds))
    return (f"This looks like it contains personal details ({listed}), so they have been masked: the question "
            "is shown and kept only as masked. Please don't enter children's or families' details here; ask "
            "about the procedure in general terms.")
