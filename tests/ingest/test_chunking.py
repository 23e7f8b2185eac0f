"""Records -> chunks: what is shown and what is embedded. Titles are the seeds'."""
from __future__ import annotations

from ingest.chunking import entry_chunk
from vectorstore.models import ChapterEntry, Manual

DERBY = Manual(id="derby-city", name="Derby City Children's Social Care Procedures")


def entry(chapter: str, title: str, section_path: tuple = ("6. Children in Care", "6.7 Leaving Care")) -> ChapterEntry:
    return ChapterEntry(manual_id="derby-city", chapter=chapter, title=title, section_path=list(section_path),
                        source="derby.txt")


def test_an_entry_shows_its_number_and_title_and_embeds_its_place_in_the_manual():
    c = entry_chunk(entry("6.7.3", "Leaving Care and Transition"), DERBY, "h")
    assert c.text == "6.7.3 Leaving Care and Transition"
    assert c.embed_text.startswith("Derby City Children's Social Care Procedures. 6. Children in Care › 6.7 Leaving "
                                   "Care. 6.7.3 Leaving Care and Transition.")


def test_an_entry_whose_title_names_a_glossary_term_embeds_its_meaning():
    c = entry_chunk(entry("6.7.6", "Staying Put Policy"), DERBY, "h")
    assert "former foster carers after 18" in c.embed_text  # the glossary's meaning of Staying Put
    assert c.text == "6.7.6 Staying Put Policy"  # what users see is unchanged


def test_an_entry_without_glossary_terms_embeds_only_its_title():
    c = entry_chunk(entry("8.10", "Adoption Panel", section_path=["8. Adoption"]), DERBY, "h")
    assert c.embed_text.endswith("8.10 Adoption Panel.")
