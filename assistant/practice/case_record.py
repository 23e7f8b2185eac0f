"""“What the procedures said on <date>”: a record of one answer and the
chapters it cited, fit to paste into a case record.

Plain text (no markdown), full absolute links (the app's public base URL)
and each chapter's online address, times in local UK time, the latest
amendment month known for each chapter, one row per citation with the answer
once. Exported as plain text and as Word (.docx, through python-docx).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from assistant.answer import Answer, Citation
from assistant.practice.chapters import citation_params, online_link, url_for
from vectorstore.catalog import Catalog
from vectorstore.models import Manual, RecordKind
from vectorstore.text import month_label

CHECK = "Check the chapter itself before you act: this is a guide to the procedures, not a substitute."
NOT_COVERED = "The procedures loaded did not cover this question."


@dataclass
class CitedRecord:
    number: int
    label: str  # "Derby City 6.7.6 Staying Put Policy"
    manual: str
    kind: str
    chapter: Optional[str]
    title: str
    section: str
    latest_amendment: Optional[str]  # YYYY-MM, or None when no amendment is recorded
    online_url: Optional[str]
    online_label: str  # "the original page" or "the Derby City procedures (contents page)"
    app_link: str  # absolute
    quote: str  # plain text

    @property
    def amended_label(self) -> str:
        return month_label(self.latest_amendment) if self.latest_amendment else "no amendment recorded"


@dataclass
class CaseRecord:
    question: str  # as shown in the app: masked where it held personal details
    answer: str  # plain text, once
    grounded: bool
    retrieved: datetime  # aware, in local time
    searched: list[str] = field(default_factory=list)  # manual names
    cited: list[CitedRecord] = field(default_factory=list)

    @property
    def date_label(self) -> str:
        """'3 March 2025'."""
        return f"{self.retrieved.day} {self.retrieved:%B %Y}"

    @property
    def time_label(self) -> str:
        """'3 March 2025 at 10:30 GMT'."""
        return f"{self.date_label} at {self.retrieved:%H:%M} {self.retrieved.tzname() or ''}".strip()

    @property
    def file_stem(self) -> str:
        return f"procedures-{self.retrieved:%Y-%m-%d-%H%M}"


# -- markdown to plain text ----------------------------------------------------------
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(.+?)_(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_\[\]<>#|~$!()])")


def plain_text(markdown: str) -> str:
    """The answer's markdown as plain text: no bold or italic marks, quotes in
    quotation marks, escapes undone."""
    lines = []
    for line in (markdown or "").splitlines():
        quoted = line.startswith(">")
        line = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", line.lstrip("> ").rstrip() if quoted else line.rstrip()))
        line = _ESCAPE.sub(r"\1", line)
        lines.append(f"“{line}”" if quoted and line else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- building ------------------------------------------------------------------------
def latest_amendment(catalog: Catalog, citation: Citation) -> Optional[str]:
    """The newest amendment month known for a cited record: its linked amendment
    records, or the month the citation itself carries."""
    months = [m for m in (citation.amended,) if m]
    if citation.kind != RecordKind.AMENDMENT:
        linked = catalog.latest_amendment(citation.manual_id, citation.chapter)
        months += [linked] if linked else []
    return max(months, default=None)


def build_case_record(answer: Answer, catalog: Catalog, retrieved: datetime, short_names: dict[str, str], *,
                      base_url: str, time_zone: str = "Europe/London",
                      question: Optional[str] = None) -> CaseRecord:
    """The record of one answer, its citations numbered as in the answer.

    `question` is the question as the app shows it (masked); `answer.question`
    when not given."""
    cited = [_cited(i, c, catalog, short_names, base_url) for i, c in enumerate(answer.citations, 1)]
    searched = [catalog.manuals[m].name for m in answer.searched if m in catalog.manuals]
    return CaseRecord(question=question if question is not None else answer.question,
                      answer=plain_text(answer.lead or answer.answer), grounded=answer.grounded,
                      retrieved=retrieved.astimezone(ZoneInfo(time_zone)), searched=searched, cited=cited)


def _cited(number: int, c: Citation, catalog: Catalog, short_names: dict[str, str], base_url: str) -> CitedRecord:
    short = short_names.get(c.manual_id, c.manual)
    manual = catalog.manuals.get(c.manual_id) or Manual(id=c.manual_id, name=c.manual)
    link = online_link(c.url, manual, short)
    where = "the original page" if link and link.exact else f"the {short} procedures (the manual's contents page)"
    return CitedRecord(
        number=number, label=c.label(short), manual=c.manual, kind=c.kind.value, chapter=c.chapter,
        title=c.title, section=c.section or "", latest_amendment=latest_amendment(catalog, c),
        online_url=link.url if link else None, online_label=where if link else "",
        app_link=url_for(citation_params(catalog, c), base_url), quote=plain_text(c.quote))


# -- exports ---------------------------------------------------------------------------
def to_text(record: CaseRecord) -> str:
    """Plain text to paste into a case record."""
    lines = [f"What the procedures said on {record.date_label}", "",
             f"Retrieved: {record.time_label}",
             f"Manuals searched: {', '.join(record.searched) or 'all manuals loaded'}", "",
             "Question:", record.question, "", "Answer:", record.answer, "", "Chapters cited:"]
    if not record.cited:
        lines.append(NOT_COVERED)
    for c in record.cited:
        lines.append(f"[{c.number}] {c.label}" + (f" ({c.section})" if c.section else ""))
        if c.quote:
            lines.append(f"    {c.quote}")
        lines.append(f"    Latest amendment known: {c.amended_label}")
        if c.online_url:
            lines.append(f"    Online ({c.online_label}): {c.online_url}")
        lines.append(f"    In the Procedures Assistant: {c.app_link}")
    lines += ["", CHECK, ""]
    return "\n".join(lines)


def to_docx(record: CaseRecord) -> bytes:
    """A Word document: the question and answer once, then a table with one row per citation."""
    from docx import Document  # imported here: only the export needs it

    doc = Document()
    doc.add_heading(f"What the procedures said on {record.date_label}", level=1)
    doc.add_paragraph(f"Retrieved: {record.time_label}")
    doc.add_paragraph(f"Manuals searched: {', '.join(record.searched) or 'all manuals loaded'}")
    doc.add_heading("Question", level=2)
    doc.add_paragraph(record.question)
    doc.add_heading("Answer", level=2)
    for paragraph in record.answer.split("\n\n"):
        doc.add_paragraph(paragraph)
    doc.add_heading("Chapters cited", level=2)
    if not record.cited:
        doc.add_paragraph(NOT_COVERED)
    else:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("No.", "Chapter", "Latest amendment", "Links")):
            cell.text = text
        for c in record.cited:
            row = table.add_row().cells
            row[0].text = str(c.number)
            row[1].text = c.label + (f"\n{c.section}" if c.section else "") + (f"\n{c.quote}" if c.quote else "")
            row[2].text = c.amended_label
            links = ([f"Online ({c.online_label}): {c.online_url}"] if c.online_url else [])
            row[3].text = "\n".join(links + [f"In the Procedures Assistant: {c.app_link}"])
    doc.add_paragraph(CHECK)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
