"""The domain glossary (vectorstore/glossary.toml): loading, matching terms in
questions, expanding them with the manuals' wordings, and the CLI."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from vectorstore.glossary import Term, described, digest, expand, load_glossary, lookup, named_in, terms_in
from vectorstore.settings import REPO_ROOT

ACRONYMS = ["S47", "S20", "LAC", "CLA", "SGO", "IRO", "PLO", "UASC", "CSE", "CRE", "EHCP", "DoLS", "LADO",
            "MASH", "NRPF"]


def names(found: list[Term]) -> set[str]:
    return {t.term for t in found}


def test_the_glossary_loads():
    glossary = load_glossary()
    assert len(glossary) > 20
    assert all(isinstance(t, Term) for t in glossary)


def wordings(t: Term) -> tuple[str, ...]:
    """Other wordings (`also`) and, where the glossary has them, related topics (`see`)."""
    return (*t.also, *getattr(t, "see", ()))


def test_every_term_has_a_meaning_and_a_wording():
    for t in load_glossary():
        assert t.term.strip(), t
        assert t.meaning.strip(), t.term
        assert wordings(t) and all(w.strip() for w in wordings(t)), t.term


def test_terms_are_not_repeated():
    keys = [t.term.lower() for t in load_glossary()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("acronym", ACRONYMS)
def test_staff_acronyms_are_present(acronym):
    term = lookup(acronym)
    assert term is not None, acronym
    assert term.term == acronym


def test_staying_put_means_staying_with_foster_carers_after_18():
    meaning = lookup("Staying Put").meaning.lower()
    assert "foster carers" in meaning
    assert "18" in meaning


def test_some_meanings():
    assert "section 47" in lookup("S47").meaning.lower()
    assert "looked after" in lookup("LAC").meaning.lower()
    assert "special guardianship" in lookup("SGO").meaning.lower()
    assert "independent reviewing officer" in lookup("IRO").meaning.lower()
    assert "no recourse to public funds" in lookup("NRPF").meaning.lower()
    assert "deprivation of liberty" in lookup("DoLS").meaning.lower()


def test_lookup_is_case_insensitive_and_trims():
    assert lookup("s47").term == "S47"
    assert lookup("  dols ").term == "DoLS"
    assert lookup("staying put").term == "Staying Put"
    assert lookup("not a term") is None


def test_terms_in_a_question():
    assert names(terms_in("S47 enquiries rotherham")) == {"S47"}
    assert "NRPF" in names(terms_in("family with NRPF asking for help with rent"))
    assert "UASC" in names(terms_in("procedure for UASC arriving at the front door?"))
    assert "Staying Put" in names(terms_in("which chapter covers Staying Put?"))


def test_matching_is_case_insensitive():
    assert "LADO" in names(terms_in("whats the threshold for a lado referral"))
    assert "Staying Put" in names(terms_in("STAYING PUT"))
    assert "DoLS" in names(terms_in("dols for a 16 year old"))


def test_word_boundaries():
    assert "CP" not in names(terms_in("my cpu is slow"))
    assert "CP" in names(terms_in("a CP case"))
    assert "OT" not in names(terms_in("I do not know"))  # "not" holds "ot"
    assert "IRO" not in names(terms_in("an ironing board"))
    assert "LAC" not in names(terms_in("black lace"))
    assert "S47" not in names(terms_in("s470"))
    assert "CSE" not in names(terms_in("CSEs"))  # a plural is another word: the glossary does not stem


@pytest.mark.parametrize("wording", ["S47", "s47", "s.47", "S.47", "s 47", "s.47 enquiries", "an S47 today"])
def test_section_numbers_match_their_written_forms(wording):
    assert "S47" in names(terms_in(wording))


def test_section_numbers_are_distinct():
    found = names(terms_in("s.20 accommodation"))
    assert "S20" in found and "S47" not in found
    assert "S7" not in names(terms_in("s 70"))


def test_multi_word_terms_allow_hyphens_and_spaces():
    assert "Staying Put" in names(terms_in("staying-put arrangements"))
    assert "Staying Put" in names(terms_in("staying  put"))


def test_expand_adds_the_manuals_wordings():
    expanded = expand("S47 enquiries rotherham")
    assert expanded.startswith("S47 enquiries rotherham")
    assert "section 47 enquiries" in expanded
    assert "child protection enquiries" in expanded


def test_expand_adds_every_term_found():
    expanded = expand("LADO referral for a UASC")
    for wording in wordings(lookup("LADO")) + wordings(lookup("UASC")):
        assert wording in expanded


def test_expand_leaves_a_question_without_terms_alone():
    assert expand("what is the mileage rate?") == "what is the mileage rate?"


def test_a_custom_glossary_can_be_passed():
    mine = (Term("widget", "A small thing.", ("gadget",)),)
    assert names(terms_in("a widget here", mine)) == {"widget"}
    assert expand("a widget here", mine) == "a widget here (gadget)"
    assert lookup("WIDGET", mine).meaning == "A small thing."
    assert lookup("S47", mine) is None


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "assistant", "glossary", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_prints_a_terms_meaning():
    done = _cli("S47")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("S47: ")
    assert lookup("S47").meaning in lines[0]
    assert "section 47 enquiries" in lines[0]


def test_cli_lookup_is_case_insensitive():
    done = _cli("staying put")
    assert done.returncode == 0, done.stderr
    assert "foster carers" in done.stdout


def test_cli_lists_the_whole_glossary():
    done = _cli()
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == len(load_glossary())


def test_cli_unknown_term_fails_on_stderr():
    done = _cli("XYZZY")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "XYZZY" in done.stderr


# -- titles: which terms a chapter title uses, for embedding its meaning ---------------------

STAYING_PUT = Term("Staying Put", "A care leaver staying on with their former foster carers after 18.", ("staying put",))
FOSTER_MUM = Term("foster mum", "A foster carer.", ("foster carers",))
GIVE_UP = Term("give up for adoption", "A parent asking for their baby to be adopted.", ("relinquished children",))
OWN = (STAYING_PUT, FOSTER_MUM, GIVE_UP)


def test_a_title_names_a_term_by_its_name_or_a_manual_wording():
    assert named_in("Staying Put Policy", OWN) == [STAYING_PUT]
    assert named_in("3.6.1 Relinquished Children", OWN) == [GIVE_UP]
    assert named_in("Supervision and Support of Foster Carers", OWN) == [FOSTER_MUM]


def test_a_title_names_a_term_only_by_whole_words():
    assert named_in("Outstaying Putative Policy", OWN) == []


def test_described_gives_new_meanings_only():
    assert described("Staying Put Policy", OWN) == STAYING_PUT.meaning
    # "A foster carer." only repeats the title: it would pull every foster carer chapter together
    assert described("Supervision and Support of Foster Carers", OWN) == ""
    assert described("Adoption Panel", OWN) == ""


def test_the_shipped_glossary_describes_seed_titles():
    assert "foster carers after 18" in described("Staying Put Policy")
    assert "adopted" in described("Relinquished Children")


def test_digest_follows_the_file(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[[term]]\nterm = "x"\n'), b.write_text('[[term]]\nterm = "y"\n')
    assert digest(a) != digest(b) and digest(a) == digest(a)


@pytest.mark.parametrize("question, term, wording", [
    ("how long have we got to send the strat minutes round?", "strat", "strategy discussion"),
    ("does the C&F assessment clock restart?", "C&F", "child and family assessment"),
    ("when is a PA allocated?", "PA", "personal adviser"),
    ("can the SW and TM sign it off?", "TM", "team manager"),
    ("DA incident overnight - what now", "DA", "domestic abuse"),
])
def test_staff_shorthand_reads_as_the_manuals_wording(question, term, wording):
    assert term in names(terms_in(question))
    assert wording in expand(question)


@pytest.mark.parametrize("question", ["what does the strategy meeting decide?", "is the DASH risk checklist used?",
                                      "a paediatric assessment"])
def test_shorthand_is_not_found_inside_longer_words(question):
    assert not {"strat", "DA", "PA"} & names(terms_in(question))
