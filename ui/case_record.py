"""“What the procedures said on <date>”: a record of one answer and the
chapters it cited, with the latest amendment month known for each, to keep
with a case record. Exported as CSV (one row per citation) and Markdown."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from assistant.answer import Answer, Citation
from ui.links import citation_params, url_for
from ui.rendering import csv_cell
from vectorstore.catalog import Catalog
from vectorstore.models import RecordKind
from vectorstore.text import month_label

CSV_COLUMNS = ("retrieved", "question", "manual_scope", "citation", "label", "manual", "kind", "chapter",
               "title", "section", "latest_amendment", "original_url", "app_link", "passage", "answer")


@dataclass
class CitedRecord:
    number: int
    label: str
    manual: str
    kind: str
    chapter: Optional[str]
    title: str
    section: str
    latest_amendment: Optional[str]  # YYYY-MM, or None when no amendment is recorded
    original_url: Optional[str]
    app_link: str
    passage: str


@dataclass
class CaseRecord:
    question: str
    answer: str
    grounded: bool
    retrieved: datetime
    manual_scope: Optional[str] = None
    cited: list[CitedRecord] = field(default_factory=list)

    @property
    def date_label(self) -> str:
        """'3 March 2025'."""
        return f"{self.retrieved.day} {self.retrieved:%B %Y}"

    @property
    def file_stem(self) -> str:
        return f"procedures-{self.retrieved:%Y-%m-%d-%H%M}"


def latest_amendment(catalog: Catalog, citation: Citation) -> Optional[str]:
    """The newest amendment month known for a cited record: its linked amendment
    records, or the month the citation itself carries."""
    months = [m for m in (citation.amended,) if m]
    if citation.kind != RecordKind.AMENDMENT:
        linked = catalog.latest_amendment(citation.manual_id, citation.chapter)
        months += [linked] if linked else []
    return max(months, default=None)


def build_case_record(answer: Answer, catalog: Catalog, retrieved: datetime,
                      short_names: dict[str, str], manual_scope: Optional[str] = None) -> CaseRecord:
    """The record of one answer, its citations numbered as in the answer."""
    cited = [
        CitedRecord(
            number=i, label=c.label(short_names.get(c.manual_id)), manual=c.manual, kind=c.kind.value,
            chapter=c.chapter, title=c.title, section=c.section or "",
            latest_amendment=latest_amendment(catalog, c), original_url=c.url,
            app_link=url_for(citation_params(catalog, c)), passage=c.passage)
        for i, c in enumerate(answer.citations, 1)
    ]
    return CaseRecord(answer.question, answer.answer, answer.grounded, retrieved, manual_scope, cited)


def to_csv(record: CaseRecord) -> str:
    """One row per citation (one row with no citation when there were none)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    base = {"retrieved": record.retrieved.isoformat(timespec="seconds"), "question": record.question,
            "manual_scope": record.manual_scope or "all manuals", "answer": record.answer}
    for cited in record.cited or [None]:
        row = dict(base)
        if cited:
            row.update(citation=cited.number, label=cited.label, manual=cited.manual, kind=cited.kind,
                       chapter=cited.chapter or "", title=cited.title, section=cited.section,
                       latest_amendment=cited.latest_amendment or "", original_url=cited.original_url or "",
                       app_link=cited.app_link, passage=cited.passage)
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def to_markdown(record: CaseRecord) -> str:
    """A readable record for a case file."""
    lines = [f"# What the procedures said on {record.date_label}", "",
             f"- Retrieved: {record.retrieved.isoformat(timespec='seconds')}",
             f"- Manuals searched: {record.manual_scope or 'all manuals loaded'}", "",
             "## Question", "", record.question, "", "## Answer", "", record.answer, "", "## Cited", ""]
    if not record.cited:
        lines.append("The procedures loaded did not cover this question.")
    for c in record.cited:
        amended = month_label(c.latest_amendment) if c.latest_amendment else "no amendment recorded"
        lines.append(f"{c.number}. {c.label}" + (f" — {c.section}" if c.section else ""))
        lines.append(f"   - Latest amendment known: {amended}")
        if c.original_url:
            lines.append(f"   - Original page: {c.original_url}")
        lines.append(f"   - In the app: {c.app_link}")
    lines += ["", "_Check the chapter itself before you act: this is a guide to the procedures, "
                  "not a substitute._", ""]
    return "\n".join(lines)
