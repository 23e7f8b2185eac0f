"""When a record is good enough to cite: pure unit tests with hand-built hits.

Thresholds are passed explicitly so these tests pin the rules, not the
calibrated numbers (which may be re-tuned)."""
from __future__ import annotations

import pytest

from assistant.confidence import DEFAULT, Thresholds, citable, evidence, is_confident, outside_remit
from assistant.retrieval import RecordHit
from vectorstore.models import Chunk, RecordKind

T = Thresholds(dense_strong=0.6, combined=0.8, dense_floor=0.2, follow=0.25)


def hit(name: str, dense: float, coverage: float = 0.0) -> RecordHit:
    chunk = Chunk(id=name, text=name, embed_text=name, manual_id="m", manual="M", kind=RecordKind.CONTENTS,
                  chapter="1.1", title=name, record_id=name)
    return RecordHit(chunk=chunk, score=dense + coverage, dense=dense, coverage=coverage, chunks=[chunk])


def names(hits: list[RecordHit]) -> list[str]:
    return [h.record_id for h in hits]


def test_evidence_is_similarity_plus_coverage():
    assert evidence(hit("a", 0.5, 0.25)) == pytest.approx(0.75)


def test_strong_similarity_alone_is_enough():
    assert is_confident(hit("a", 0.7, 0.0), T)
    assert is_confident(hit("a", 0.6, 0.0), T)  # the bar itself counts


def test_weak_similarity_without_coverage_is_not_enough():
    assert not is_confident(hit("a", 0.55, 0.0), T)
    assert not is_confident(hit("a", 0.4, 0.3), T)  # 0.7 < combined 0.8


def test_weak_similarity_with_coverage_is_enough():
    assert is_confident(hit("a", 0.4, 0.5), T)  # 0.9 >= 0.8
    assert is_confident(hit("a", 0.3, 1.0), T)


def test_words_alone_never_suffice_below_the_floor():
    assert not is_confident(hit("a", 0.1, 1.0), T)  # 1.1 >= combined, but similarity under the floor
    assert not is_confident(hit("a", 0.0, 1.0), T)
    assert is_confident(hit("a", 0.2, 1.0), T)  # at the floor it may


def test_neither_gives_nothing_to_cite():
    assert citable([hit("a", 0.3, 0.1), hit("b", 0.25, 0.2)], T) == []
    assert citable([], T) == []


def test_the_best_alone_when_nothing_else_is_close():
    hits = [hit("best", 0.9, 1.0), hit("far", 0.65, 0.0)]  # confident, but 1.9 - 0.65 > follow
    assert names(citable(hits, T)) == ["best"]


def test_further_citations_must_be_confident_and_near_the_best():
    hits = [
        hit("best", 0.7, 0.5),  # evidence 1.2
        hit("near", 0.5, 0.5),  # 1.0: confident, within 0.25 of the best
        hit("near-but-unsure", 0.15, 1.0),  # 1.15: close, but under the similarity floor
        hit("far", 0.6, 0.3),  # 0.9: confident, but trails the best by 0.3
        hit("weak", 0.45, 0.3),  # 0.75: not confident
        hit("close-again", 0.62, 0.4),  # 1.02: confident and within 0.25
    ]
    assert names(citable(hits, T)) == ["best", "near", "close-again"]


def test_order_is_kept():
    hits = [hit("a", 0.7, 0.2), hit("b", 0.8, 0.2), hit("c", 0.75, 0.2)]
    assert names(citable(hits, T)) == ["a", "b", "c"]


def test_a_confident_record_below_an_unsure_one_is_still_cited():
    # rank order is fusion's; confidence is judged per record, so an unsure
    # top-ranked record neither blocks nor joins a confident one below it
    hits = [hit("best", 0.3, 0.2), hit("second", 0.7, 0.0)]
    assert names(citable(hits, T)) == ["second"]


def test_the_bar_follows_the_strongest_confident_evidence():
    hits = [
        hit("first", 0.65, 0.0),  # confident by similarity alone, evidence 0.65
        hit("strongest", 0.7, 0.6),  # evidence 1.3: the bar is 1.05
        hit("close", 0.5, 0.6),  # 1.1
    ]
    assert names(citable(hits, T)) == ["strongest", "close"]


def test_nothing_confident_cites_nothing():
    hits = [hit("a", 0.3, 0.2), hit("b", 0.2, 0.1)]
    assert citable(hits, T) == []


def test_limit():
    hits = [hit(str(i), 0.9, 0.5) for i in range(10)]
    assert names(citable(hits, T)) == ["0", "1", "2", "3", "4"]
    assert names(citable(hits, T, limit=2)) == ["0", "1"]


def test_a_larger_follow_lets_more_through():
    hits = [hit("best", 0.9, 0.5), hit("behind", 0.62, 0.3)]  # 1.4 vs 0.92
    assert names(citable(hits, T)) == ["best"]
    loose = Thresholds(T.dense_strong, T.combined, T.dense_floor, follow=0.5)
    assert names(citable(hits, loose)) == ["best", "behind"]


def test_default_thresholds_are_ordered_sensibly():
    assert 0 < DEFAULT.dense_floor < DEFAULT.dense_strong <= 1
    assert DEFAULT.dense_floor < DEFAULT.combined
    assert DEFAULT.follow > 0


def test_default_thresholds_are_used_without_an_argument():
    sure = hit("a", max(DEFAULT.dense_strong, DEFAULT.combined) + 0.01, 0.0)
    unsure = hit("b", DEFAULT.dense_floor / 2, 1.0)
    assert is_confident(sure)
    assert not is_confident(unsure)
    assert names(citable([sure, unsure])) == ["a"]


# -- the out-of-remit check ------------------------------------------------------------------

R = Thresholds(dense_strong=0.6, combined=0.8, dense_floor=0.2, follow=0.25, clear=1.0, remit=0.5, remit_margin=0.15)


def test_a_question_close_to_an_out_of_remit_topic_with_no_record_is_off_remit():
    assert outside_remit(0.55, None, R)


def test_a_weak_remit_match_never_overrules():
    assert not outside_remit(0.45, None, R)
    assert not outside_remit(0.45, hit("a", 0.2, 0.7), R)


def test_remit_overrules_a_weak_record_only_by_a_margin():
    weak = hit("short breaks", 0.37, 0.45)  # cited, but not clear
    assert outside_remit(0.6, weak, R)  # 0.23 closer to the remit topic
    assert not outside_remit(0.5, weak, R)  # only 0.13 closer


def test_a_clear_record_is_never_overruled():
    supervision = hit("supervision policy", 0.4, 0.7)  # evidence 1.1 >= clear
    assert not outside_remit(0.9, supervision, R)
    assert not outside_remit(0.9, hit("strong", 0.65), R)  # strong similarity alone is clear


def test_a_models_table_overrides_only_the_thresholds_it_names(tmp_path):
    from assistant.confidence import for_model

    table = tmp_path / "thresholds.toml"
    table.write_text('[other-model]\ndense_strong = 0.7\nno_answer = 0.75\n', encoding="utf-8")
    other = for_model("other-model", table)
    assert (other.dense_strong, other.no_answer) == (0.7, 0.75)
    assert other.combined == DEFAULT.combined and other.case_similar == DEFAULT.case_similar
    assert for_model("a-model-with-no-table", table) == DEFAULT


def test_a_misspelt_threshold_is_refused_with_the_valid_names(tmp_path):
    from assistant.confidence import for_model

    table = tmp_path / "thresholds.toml"
    table.write_text('[other-model]\ndense_strnog = 0.7\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"dense_strnog.*valid: .*dense_strong"):
        for_model("other-model", table)


def test_every_shipped_table_loads():
    import tomllib

    from assistant.confidence import CALIBRATION_FILE, for_model

    for name in tomllib.loads(CALIBRATION_FILE.read_text(encoding="utf-8")):
        assert for_model(name) != DEFAULT
