""""Quiz me": multiple-choice questions drawn from a reading path's chapter
numbers, titles, topics and scope text (extractive: no model writes them),
and the checking of answers. No Streamlit here.

Every question has exactly one correct option by construction: a distractor
never shares the correct option's text, a number distractor is never a number
that also carries the asked title, and a title distractor never comes from a
chapter that covers the asked topic."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence

from ui.induction import Step
from vectorstore.text import title_key

OPTIONS = 4  # per question, when the path has enough chapters


@dataclass(frozen=True)
class QuizQuestion:
    id: str  # stable within a quiz; the page keys its widgets on it
    prompt: str
    options: tuple[str, ...]
    answer: int  # index of the correct option
    explanation: str  # shown after checking: "6.7.6 Staying Put Policy"

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
        return f"{self.right} / {self.total}"


def check(questions: Sequence[QuizQuestion], choices: Mapping[str, Optional[str]]) -> Score:
    """Mark answers given as {question id: chosen option text or None}."""
    marks = tuple(q.is_correct(choices.get(q.id)) for q in questions)
    return Score(right=sum(marks), total=len(questions), marks=marks)


def make_quiz(steps: Sequence[Step], manual_name: str, count: int = 5, seed: int = 0,
              extra: Iterable[tuple[str, str]] = ()) -> list[QuizQuestion]:
    """Up to `count` questions about the path's chapters, shuffled by `seed`.

    `extra` is further (chapter, title) pairs of the same manual, used as number
    distractors only when the path itself has too few chapters."""
    rng = random.Random(seed)
    numbered = _dedupe([(s.chapter, s.title) for s in steps])
    if len({n for n, _ in numbered}) < OPTIONS:
        numbered = _dedupe(numbered + list(extra))
    candidates = []
    for step in steps:
        for maker in (_number_question, _topic_question, _scope_question):
            question = maker(step, steps, numbered, manual_name, rng)
            if question:
                candidates.append(question)
    rng.shuffle(candidates)
    unique: dict[str, QuizQuestion] = {}
    for question in candidates:  # one question per prompt (a topic with two chapters asks once)
        unique.setdefault(question.prompt, question)
    candidates = list(unique.values())
    chosen, asked = [], set()
    for question in candidates:  # one question per chapter first, then the rest
        if question.explanation not in asked:
            chosen.append(question)
            asked.add(question.explanation)
    chosen += [q for q in candidates if q not in chosen]
    return chosen[:count]


def _number_question(step: Step, steps, numbered, manual_name: str, rng) -> Optional[QuizQuestion]:
    same_title = {n for n, t in numbered if title_key(t) == title_key(step.title)}
    wrong = _pick(rng, [n for n, _ in numbered if n not in same_title])
    prompt = f"Which chapter number in {manual_name} is titled “{step.title}”?"
    return _question(f"number:{step.chapter}:{step.title}", prompt, step.chapter, wrong, step, rng)


def _topic_question(step: Step, steps, numbered, manual_name: str, rng) -> Optional[QuizQuestion]:
    topic = step.topic.title
    covering = {title_key(s.title) for s in steps if s.topic.title == topic or topic in s.also}
    wrong = _pick(rng, [s.title for s in steps if title_key(s.title) not in covering])
    prompt = f"Which {manual_name} chapter covers “{topic}”?"
    return _question(f"topic:{step.chapter}:{step.title}", prompt, step.title, wrong, step, rng)


def _scope_question(step: Step, steps, numbered, manual_name: str, rng) -> Optional[QuizQuestion]:
    sentence = _first_sentence(step.scope)
    if not sentence:
        return None
    wrong = _pick(rng, [s.title for s in steps if title_key(s.title) != title_key(step.title)])
    prompt = f"Which chapter's scope says: “{sentence}”?"
    return _question(f"scope:{step.chapter}:{step.title}", prompt, step.title, wrong, step, rng)


def _question(qid: str, prompt: str, right: str, wrong: list[str], step: Step, rng) -> Optional[QuizQuestion]:
    wrong = [w for w in dict.fromkeys(wrong) if w != right][:OPTIONS - 1]
    if not wrong:
        return None
    options = [right, *wrong]
    rng.shuffle(options)
    return QuizQuestion(id=qid, prompt=prompt, options=tuple(options), answer=options.index(right),
                        explanation=step.label)


def _pick(rng: random.Random, pool: list[str]) -> list[str]:
    pool = list(dict.fromkeys(pool))
    return rng.sample(pool, min(len(pool), OPTIONS - 1))


def _dedupe(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((n, t) for n, t in pairs if n))


def _first_sentence(text: str, limit: int = 220) -> str:
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence if 20 <= len(sentence) <= limit else ""
