""""Quiz me": multiple-choice questions about what a reading path's chapters
cover, drawn from the chapters themselves (extractive: no model writes them),
and the checking of answers. No Streamlit here.

Three kinds of question:
- cover: "Which chapter would you open for information sharing?" — asked only
  where the chapter's title names every word of the phrasing that found it,
  so the right option is plainly right;
- about: "What does 6.7.6 Staying Put Policy cover?" — the options are the
  phrasings that found the path's chapters, the wrong ones from chapters whose
  titles name none of the right one's words;
- says: "Which chapter says: '…must be…'?" — a sentence of a chapter's scope or
  text (where its page is loaded), the options other chapters of the path.

Every question has exactly one correct option by construction: options are
distinct, and a distractor never covers what is asked."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from assistant.practice.induction import Step
from vectorstore.lexical import tokenize
from vectorstore.text import title_key

OPTIONS = 4  # per question, when the path has enough chapters
REQUIREMENT = re.compile(r"\b(?:must|should|will|within|needs? to|is required|are required|responsible)\b", re.I)


@dataclass(frozen=True)
class QuizQuestion:
    id: str  # stable within a quiz; the page keys its widgets on it
    prompt: str
    options: tuple[str, ...]
    answer: int  # index of the correct option
    explanation: str  # shown after checking: "6.7.6 Staying Put Policy: why it matters"

    @property
    def correct(self) -> str:
        return self.options[self.answer]

    def is_correct(self, choice: Optional[str]) -> bool:
        """Whether `choice` (an option's text; None when unanswered) is the right one."""
        return choice is not None and choice == self.correct


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    marks: tuple[bool, ...]  # per question, in quiz order

    @property
    def label(self) -> str:
        return f"{self.right} of {self.total}"


def check(questions: Sequence[QuizQuestion], choices: Mapping[str, Optional[str]]) -> Score:
    """Mark answers given as {question id: chosen option text or None}."""
    marks = tuple(q.is_correct(choices.get(q.id)) for q in questions)
    return Score(right=sum(marks), total=len(questions), marks=marks)


def make_quiz(steps: Sequence[Step], manual_name: str, count: int = 5, seed: int = 0) -> list[QuizQuestion]:
    """Up to `count` questions about the path's chapters, shuffled by `seed`,
    one per chapter first."""
    rng = random.Random(seed)
    candidates = [q for step in steps for maker in (_cover, _about, _says)
                  if (q := maker(step, steps, manual_name, rng)) is not None]
    rng.shuffle(candidates)
    unique: dict[str, QuizQuestion] = {}
    for question in candidates:  # one question per prompt (a phrasing that found two chapters asks once)
        unique.setdefault(question.prompt, question)
    candidates = list(unique.values())
    chosen, asked = [], set()
    for question in candidates:
        chapter = question.id.split(":", 1)[1]
        if chapter not in asked:
            chosen.append(question)
            asked.add(chapter)
    chosen += [q for q in candidates if q not in chosen]
    return chosen[:count]


def _words(text: str) -> set[str]:
    return set(tokenize(text))


def _names_all(title: str, phrasing: str) -> bool:
    """Does the title name every word of the phrasing ("Information Sharing Policy" ⊇ "information sharing")?"""
    wanted = _words(phrasing)
    return bool(wanted) and wanted <= _words(title)


def _covers(step: Step, phrasing: str) -> bool:
    """Could this chapter be the answer to a question about `phrasing`?"""
    return step.found_by == phrasing or bool(_words(phrasing) & _words(step.title))


def _cover(step: Step, steps: Sequence[Step], manual_name: str, rng) -> Optional[QuizQuestion]:
    if not step.found_by or not _names_all(step.title, step.found_by):
        return None
    wrong = [s.title for s in steps if s.topic.id != step.topic.id and not _covers(s, step.found_by)]
    prompt = f"In the {manual_name} procedures, which chapter would you open for {step.found_by}?"
    return _question(f"cover:{step.key}", prompt, step.title, wrong, step, rng)


def _about(step: Step, steps: Sequence[Step], manual_name: str, rng) -> Optional[QuizQuestion]:
    if not step.found_by:
        return None
    wrong = [s.found_by for s in steps if s.found_by and s.topic.id != step.topic.id
             and not (_words(s.found_by) & _words(step.title)) and not (_words(s.found_by) & _words(step.found_by))]
    prompt = f"What does {manual_name} {step.label} cover?"
    return _question(f"about:{step.key}", prompt, _capital(step.found_by), [_capital(w) for w in wrong], step, rng)


def _says(step: Step, steps: Sequence[Step], manual_name: str, rng) -> Optional[QuizQuestion]:
    sentence = _telling_sentence(step)
    if not sentence:
        return None
    wrong = [s.title for s in steps if title_key(s.title) != title_key(step.title) and s.topic.id != step.topic.id]
    prompt = f"Which {manual_name} chapter says: “{sentence}”?"
    return _question(f"says:{step.key}", prompt, step.title, wrong, step, rng)


def _question(qid: str, prompt: str, right: str, wrong: list[str], step: Step, rng) -> Optional[QuizQuestion]:
    pool = [w for w in dict.fromkeys(wrong) if title_key(w) != title_key(right)]
    wrong = rng.sample(pool, min(len(pool), OPTIONS - 1))
    if len(wrong) < 2:  # a question needs at least three options to be worth asking
        return None
    options = [right, *wrong]
    rng.shuffle(options)
    explanation = f"{step.label}: {step.topic.why}"
    return QuizQuestion(id=qid, prompt=prompt, options=tuple(options), answer=options.index(right),
                        explanation=explanation)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _telling_sentence(step: Step, limit: int = 220) -> str:
    """A sentence of the chapter's scope, else its first sentence saying what must
    happen, with the chapter's own title words not giving the answer away."""
    sentences = [s for text in (step.scope, step.text) for s in _sentences(text)]
    scope = _sentences(step.scope)
    ranked = scope[:1] + [s for s in sentences if REQUIREMENT.search(s) and s not in scope[:1]]
    for sentence in ranked:
        if 40 <= len(sentence) <= limit and title_key(step.title) not in title_key(sentence):
            return sentence
    return ""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join((text or "").split())) if s.strip()]
