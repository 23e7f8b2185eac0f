"""Safeguarding routes: a question that describes harm to a child is answered
from the procedures that harm leads to (referral, strategy discussion,
section 47, the chapter for that kind of harm), never from a chapter that only
shares a word with it ("physical abuse" is not Restrictive Physical
Intervention). And the fixed signpost an answer starts with when a child reads
as at immediate risk, from per-manual data (signposts.toml)."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from assistant.confidence import DEFAULT, Thresholds, citable
from assistant.question import Question
from assistant.retrieval import RecordHit
from assistant.safeguarding import is_route
from vectorstore.models import RecordKind

SIGNPOSTS_FILE = Path(__file__).with_name("signposts.toml")
UNSURE_ROUTES = 3
CITED = 5  # as many citations as a search answer gives  # route chapters offered as the closest matches when none is a confident match


def route_hits(found: list[RecordHit], question: Question, t: Thresholds = DEFAULT) -> list[RecordHit]:
    """The records to cite for a safeguarding question: the route chapters
    among what was found (confident ones, else the best few as closest
    matches), the chapters for the kind of harm it shows before the general
    child-protection route, each in search order; what the search found when
    no route chapter is in it."""
    routes = [h for h in found if h.chunk.kind != RecordKind.AMENDMENT and is_route(h.chunk.title, question.harms)]
    if not routes:
        return citable(found, t)
    confident = citable(routes, t)
    chosen = confident or routes
    specific = [h for h in chosen if is_route(h.chunk.title, question.harms, general=False)]
    ordered = specific + [h for h in chosen if h not in specific]
    ordered = ordered if confident else ordered[:UNSURE_ROUTES]
    # other confident findings (an amendment note, a related chapter) follow the routes, never lead
    return (ordered + [h for h in citable(found, t) if h not in ordered])[:CITED]


@lru_cache(maxsize=4)
def load_signposts(path: Path = SIGNPOSTS_FILE) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def signpost(manual_ids: Iterable[str], names: dict[str, str], path: Path = SIGNPOSTS_FILE) -> str:
    """The fixed first lines of an answer about a child at immediate risk: 999,
    then the manual's referral / out-of-hours route (the generic one when the
    answer draws on several manuals, or on one with no route recorded)."""
    data = load_signposts(path)
    ids = sorted(set(manual_ids))
    route: Optional[str] = data.get("manual", {}).get(ids[0], {}).get("route") if len(ids) == 1 else None
    manual = names.get(ids[0], ids[0]) if len(ids) == 1 else ""
    text = route or data["default"]["route"]
    return data["default"]["first"] + " " + text.format(manual=manual).strip()
