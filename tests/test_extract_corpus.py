"""`ledger extract` on the labelled articles in tests/data/extract/ and on the held-out set in
tests/data/extract-holdout/ (format in the first's README, written without reading the extractor):
recall, background drafted, speaker, negation and number accuracy, with floors the extractor must keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ledger.extract import extract
from ledger.extract.sentences import fold

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 12, 31)  # datelines without a year read as this year


@dataclass(frozen=True)
class Floors:
    """The least a corpus must score: shares of forecasts recalled, of drafts with the right speaker and
    of negations read, the most background drafted, and how many stated numbers may be misread."""
    articles: int
    sentences: int
    recall: float = 0.95
    background: float = 0.10
    speakers: float = 0.90
    negations: float = 0.90
    numbers_missed: int = 0


CORPORA = {"extract": Floors(articles=15, sentences=150), "extract-holdout": Floors(articles=12, sentences=150)}


@dataclass
class Figures:
    forecasts: int = 0
    recalled: int = 0
    background: int = 0
    background_drafted: int = 0
    speakers_right: int = 0
    negated: int = 0
    negation_right: int = 0
    numbers: int = 0
    numbers_right: int = 0
    duplicates: int = 0
    misses: list = None
    wrong: list = None

    def line(self) -> str:
        return (f"recall {self.recalled}/{self.forecasts} ({self.recalled / self.forecasts:.0%}), background drafted "
                f"{self.background_drafted}/{self.background} ({self.background_drafted / self.background:.0%}), speakers "
                f"{self.speakers_right}/{self.recalled} ({self.speakers_right / self.recalled:.0%}), negations "
                f"{self.negation_right}/{self.negated}, numbers {self.numbers_right}/{self.numbers}")


def articles(corpus: str) -> list[tuple[str, dict]]:
    return [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted((DATA / corpus).glob("*.yaml"))]


def _overlap(quote: str, label: str) -> float:
    """How much of the shorter text the longer one holds (0 when neither contains the other)."""
    a, b = fold(quote).strip(" .,;\"'"), fold(label).strip(" .,;\"'")
    if not a or not b or (a not in b and b not in a):
        return 0.0
    return min(len(a), len(b)) / max(len(a), len(b))


def score(corpus: list[tuple[str, dict]]) -> Figures:
    f = Figures(misses=[], wrong=[])
    for name, article in corpus:
        source = name.split("-")[0]
        drafts = extract(article["text"], source_id=source, today=TODAY).drafts
        labels = article["sentences"]
        matched: dict[int, list] = {}
        for d in drafts:
            best = max(range(len(labels)), key=lambda i: _overlap(d.quote, labels[i]["text"]))
            if _overlap(d.quote, labels[best]["text"]):
                matched.setdefault(best, []).append(d)
            else:
                f.background_drafted += 1
                f.wrong.append((name, "unlabelled", d.quote))
        f.duplicates += len(drafts) - len({fold(d.quote) for d in drafts})
        for i, label in enumerate(labels):
            found = matched.get(i, [])
            if not label["forecast"]:
                f.background += 1
                if found:
                    f.background_drafted += 1
                    f.wrong.append((name, "background", label["text"], found[0].reason))
                continue
            f.forecasts += 1
            f.negated += bool(label.get("negated"))
            f.numbers += label.get("number") is not None
            if not found:
                f.misses.append((name, label["text"]))
                continue
            d = found[0]
            f.recalled += 1
            expected = f"newsroom-{source}" if label["speaker"] == "newsroom" else label["speaker"]
            if d.speaker.id == expected:
                f.speakers_right += 1
            else:
                f.wrong.append((name, f"speaker {d.speaker.id} ≠ {expected}", label["text"]))
            if label.get("negated"):
                f.negation_right += d.negated
            elif d.negated:
                f.wrong.append((name, "negated", label["text"]))
            if label.get("number") is not None:
                if d.probability is not None and abs(d.probability - label["number"]) < 0.005:
                    f.numbers_right += 1
                else:
                    f.wrong.append((name, f"number {d.probability} ≠ {label['number']}", label["text"]))
            elif d.probability is not None:
                f.wrong.append((name, f"number {d.probability} read", label["text"]))
    return f


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_corpus_is_labelled_as_documented(corpus):
    articles_ = articles(corpus)
    assert len(articles_) >= CORPORA[corpus].articles
    assert sum(len(a["sentences"]) for _, a in articles_) >= CORPORA[corpus].sentences
    for name, article in articles_:
        for label in article["sentences"]:
            assert label["text"] in article["text"], (name, label["text"])
            assert label["forecast"] is False or {"speaker", "phrase"} <= set(label), (name, label["text"])


@pytest.mark.parametrize("corpus", CORPORA)
def test_recall_background_speakers_negations_and_numbers(corpus):
    f, floors = score(articles(corpus)), CORPORA[corpus]
    print(f.line())
    report = "\n".join(map(str, f.misses + f.wrong))
    assert f.recalled / f.forecasts >= floors.recall, f"{f.line()}\n{report}"
    assert f.background_drafted / f.background <= floors.background, f"{f.line()}\n{report}"
    assert f.speakers_right / f.recalled >= floors.speakers, f"{f.line()}\n{report}"
    assert f.negation_right / f.negated >= floors.negations, f"{f.line()}\n{report}"
    assert f.numbers - f.numbers_right <= floors.numbers_missed, f"{f.line()}\n{report}"
    assert f.duplicates == 0


@pytest.mark.parametrize("name,article", [(f"{c}/{n}", a) for c in CORPORA for n, a in articles(c) if "published_on" in a],
                         ids=lambda a: a if isinstance(a, str) else "")
def test_publication_date_is_read_from_the_article(name, article):
    assert extract(article["text"], source_id="x", today=TODAY).made_on == article["published_on"]


def _measured_section(corpus: str) -> str:
    """The part of docs/extract.md headed by the corpus's directory, up to the next heading."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "extract.md").read_text(encoding="utf-8")
    start = doc.index(f"### On `tests/data/{corpus}/`")
    end = doc.find("\n#", start + 1)
    return doc[start:end if end >= 0 else None]


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_figures_in_the_docs_are_the_measured_ones(corpus):
    doc, articles_ = _measured_section(corpus), articles(corpus)
    f = score(articles_)
    prose = " ".join(doc.split())
    assert f"{len(articles_)} short articles" in prose and f"{sum(len(a['sentences']) for _, a in articles_)} labelled sentences" in prose
    assert f"of which {f.forecasts} are forecasts, {f.negated} negated and {f.numbers} with a stated number" in prose
    for measure, (got, out_of) in {"recall": (f.recalled, f.forecasts), "background drafted": (f.background_drafted, f.background),
                                   "speaker right": (f.speakers_right, f.recalled), "negation right": (f.negation_right, f.negated),
                                   "stated number right": (f.numbers_right, f.numbers)}.items():
        assert f"| {measure}" in doc and f"| {got} of {out_of}" in doc.split(f"| {measure}")[1].splitlines()[0], measure
