"""Writing to the ledger: imports, added forecasts, resolutions and voids, all through one path.

`apply_batches` checks each batch against what came before it and against the ledger, collects every
problem, and writes inside the caller's transaction; it raises before anything can be committed when
any of the input was wrong, so the caller (`Ledger`, which owns the transaction) commits a file
entirely or not at all. Batches let a million-row CSV stream through in bounded memory; a YAML file
or a single command is one batch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, func
from sqlmodel import Session, select

from ledger.db import checks
from ledger.db.checks import QuestionFacts, SourceFacts, TextFolders
from ledger.db.engine import is_unique_violation
from ledger.db.ordering import Order
from ledger.db.staging import Staging, differs, duplicate_keys, edit_of, key_hashes, write_staged
from ledger.errors import Conflict, Location, NotFound, Problem, close_matches, field_of, raise_if
from ledger.schema.dates import parse_date
from ledger.schema.outcomes import outcome_date, parse_outcome
from ledger.schema.records import CONTENT_KEY_DIGITS, Batch, ForecastRecord, ForecastRows, ResolutionRecord, unstorable, void_reason
from ledger.schema.tables import (
    FORECASTER_FIELDS,
    QUESTION_FIELDS,
    SOURCE_FIELDS,
    Forecast,
    Forecaster,
    Question,
    QuestionTag,
    Resolution,
    Source,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_CHUNK = 2000  # ids per IN (…) query: well under SQLite's and PostgreSQL's parameter limits
# What a forecast already in the ledger must agree with when a file names it again: every column
# but the row's own number, its key and when it was entered.
COMPARED_COLUMNS = tuple(c for c in Forecast.model_fields if c not in ("id", "key", "recorded_at"))
_VOIDING = ("voided_reason", "voided_on")
# What identifies a forecast a file gives without an id, beside its content (see _Import._edited).
_NATURAL = ("question_id", "forecaster_id", "source_id", "made_on", "quote", "window_from", "window_to", "option")
_CONTENT_KEY = re.compile(f"h[0-9a-f]{{{CONTENT_KEY_DIGITS}}}")
_KINDS = (("source", Source, SOURCE_FIELDS), ("forecaster", Forecaster, FORECASTER_FIELDS), ("question", Question, QUESTION_FIELDS))
_MODELS = {kind: model for kind, model, _ in _KINDS}


@dataclass
class Summary:
    """What an import added and what it found already there."""

    added: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        kinds = ("sources", "forecasters", "questions", "forecasts", "resolutions")
        added = ", ".join(f"{self.added[k]} {k if self.added[k] != 1 else k[:-1]}" for k in kinds if self.added[k]) or "nothing new"
        same = sum(self.unchanged.values())
        return f"added {added}" + (f"; {same} already in the ledger" if same else "")


def _rows_in(session: Session, column, values: Iterable, *order_by) -> Iterator:
    """Rows of `column`'s table whose `column` is among `values`, one query per chunk of values."""
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), _CHUNK):
        yield from session.exec(select(column.class_).where(column.in_(values[start:start + _CHUNK])).order_by(*order_by))


def _fetch(session: Session, column, values: Iterable) -> dict:
    """The rows whose `column` is among `values`, by that value."""
    return {getattr(row, column.key): row for row in _rows_in(session, column, values)}


def bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """Insert many rows, each a dict of the same columns, in the session's transaction (see `insert_rows`)."""
    if rows:
        names = list(rows[0])
        insert_rows(session, model, names, [tuple(row[name] for name in names) for row in rows])


def insert_rows(session: Session, model, names: list[str], rows: list[tuple]) -> None:
    """Insert many rows, each a tuple of the `names` columns, with one executemany on the session's
    connection, in its transaction.

    The statement and each column's conversion come from the model's table, so this stays the
    models' data layer; it only skips building an ORM object and a parameter dict per row, which is
    most of the cost of loading a large dataset.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = model.__table__
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    order = compiled.positiontup if compiled.positional else names
    columns = []
    for name in order:  # column by column: each type's conversion, once per distinct value
        at = names.index(name)
        values = [row[at] for row in rows]
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and isinstance(table.c[name].type, JSON):
            values = [None if v is None else process(v) for v in values]  # lists: not hashable, not cached
        elif process is not None:
            cache: dict = {}
            values = [None if v is None else cache[v] if v in cache else cache.setdefault(v, process(v)) for v in values]
        columns.append(values)
    params = list(zip(*columns)) if compiled.positional else [dict(zip(order, values)) for values in zip(*columns)]
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(compiled.string, params)
    except dialect.loaded_dbapi.IntegrityError as exc:
        if is_unique_violation(exc):  # checked moments ago, so another writer added the same rows since
            raise LostRace(lost_race(model)) from None
        raise
    finally:
        cursor.close()


class LostRace(Exception):
    """Another writer added the same rows between our checks and our write: the transaction is
    run again (it will see their rows), and `refusal` is said if it keeps happening."""

    def __init__(self, refusal: Conflict):
        super().__init__(str(refusal))
        self.refusal = refusal


def lost_race(model) -> Conflict:
    """The refusal when another writer added the same rows between our checks and our write."""
    if model is Resolution:
        return Conflict("another resolution of this question was recorded at the same moment; nothing was written — "
                        "look at the question's resolution history, then record yours as a correction if it should replace it")
    return Conflict(f"another writer added the same {model.__tablename__} records at the same moment; nothing was written")


class _Import:
    """One all-or-nothing import: what is known so far, what was wrong, what was written."""

    def __init__(self, session: Session, texts: TextFolders):
        self.session, self.texts = session, texts
        self.problems: list[Problem] = []
        self.missing: list[NotFound] = []  # unknown ids: reported as problems, raised as NotFound when alone
        self.refused: list[Problem] = []  # what the ledger's state forbids: raised as Conflict when alone
        self.summary = Summary()
        self.questions: dict[str, QuestionFacts] = {}
        self.forecasters: set[str] = set()
        self.sources: dict[str, SourceFacts] = {}
        self.defined: dict[tuple[str, str], Location] = {}  # (kind, id) described by this input
        self.keys: dict[str, Location] = {}  # forecast keys seen in this input
        self.broken: set[tuple[str, str]] = set()
        self._all_ids: dict[str, list[str]] = {}
        # (model, columns, rows as tuples): a tuple of a question's or resolution's columns is a third of a dict's
        # 272 bytes, and a large CSV's 500,000 questions all wait here until the write
        self.pending: list[tuple[Any, list[str], list[tuple]]] = []  # to insert once everything is checked
        self.staging: Staging | None = None  # a CSV's checked forecast rows, written set-based
        self.key_hashes: list[np.ndarray] = []
        self._question_index: pd.Index | None = None  # self.questions as an index, to look up a chunk's questions at once
        self._question_kinds: np.ndarray | None = None
        self.name = ""
        self.had_forecasts = session.exec(select(Forecast.id).limit(1)).first() is not None
        self.started = dt.datetime.now(dt.UTC)
        self.order = Order()

    def known(self, kind: str):
        """The ids of a kind this import knows so far (from the input or the ledger)."""
        return {"question": self.questions, "forecaster": self.forecasters, "source": self.sources}[kind]

    def known_ids(self, kind: str) -> list[str]:
        """Every id of a kind, fetched once and only when an unknown id needs a did-you-mean."""
        if kind not in self._all_ids:
            self._all_ids[kind] = [*self.known(kind), *self.session.exec(select(_MODELS[kind].id).limit(20000))]
        return self._all_ids[kind]

    def add(self, batch: Batch) -> None:
        self.problems += batch.problems
        self.broken |= batch.broken
        fresh, existing = {}, {}
        for kind, model, fields in _KINDS:
            fresh[kind], existing[kind] = self._entities(kind, model, fields, getattr(batch, f"{kind}s"))
        self._remember(batch, fresh, existing)
        rows = self._forecasts(batch.forecasts)
        if batch.rows is not None:
            self._forecast_rows(batch.rows)
        resolutions = self._resolutions(batch.resolutions)
        if self.problems or self.missing or self.refused:
            self.pending.clear()
            return  # keep checking the rest of the input, but write nothing more
        for kind, model, fields in _KINDS:
            names = ["id", *fields]
            self.pending.append((model, names, [tuple(getattr(r, f) for f in names) for r in fresh[kind]]))
            self.summary.added[f"{kind}s"] += len(fresh[kind])
        self.pending.append((QuestionTag, ["question_id", "tag"], [(q.id, t) for q in fresh["question"] for t in dict.fromkeys(q.tags)]))
        for table, planned in ((Forecast, rows), (Resolution, resolutions)):
            if planned:
                names = list(planned[0])
                self.pending.append((table, names, [tuple(row[name] for name in names) for row in planned]))
        self.summary.added["forecasts"] += len(rows)
        self.summary.added["resolutions"] += len(resolutions)

    def _entities(self, kind: str, model, fields, records) -> tuple[list, dict]:
        """Records not yet in the ledger, and the ledger's rows for those already there (which must agree)."""
        for rec in records:
            if rec.implicit:
                continue
            first = self.defined.setdefault((kind, rec.id), rec.where)
            if first is not rec.where:
                self.problems.append(Problem(rec.where, f"{kind} id {rec.id!r} is defined twice (first on line {first.line}); ids must be unique"))
        unseen = [r for r in records if r.id not in self.known(kind)]
        existing = _fetch(self.session, model.id, [r.id for r in unseen])
        fresh, taken = [], set()
        for rec in unseen:
            if rec.id in existing:
                self.problems.extend(checks.conflicts(rec, existing[rec.id], fields, kind))
                if not rec.implicit:
                    self.summary.unchanged[f"{kind}s"] += 1
            elif rec.id not in taken:
                taken.add(rec.id)
                if kind == "question":
                    self.problems.extend(checks.question_shape(rec))
                fresh.append(rec)
        return fresh, existing

    def _remember(self, batch: Batch, fresh: dict, existing: dict) -> None:
        """Make this batch's questions, forecasters and sources, and those it refers to, known."""
        columns = batch.rows.columns if batch.rows is not None else {"question_id": [], "forecaster_id": [], "source_id": []}
        refer = {
            "question": {f.question for f in batch.forecasts} | {r.question for r in batch.resolutions} | set(columns["question_id"]),
            "forecaster": {f.forecaster for f in batch.forecasts} | set(columns["forecaster_id"]),
            "source": {f.source for f in batch.forecasts} | set(columns["source_id"]),
        }
        for kind, model, _ in _KINDS:
            wanted = sorted(refer[kind].difference(self.known(kind), existing[kind], [None, ""]), key=str)  # set operations: a chunk names 20,000
            existing[kind].update(_fetch(self.session, model.id, wanted))
        for qid, row in existing["question"].items():
            self.questions.setdefault(qid, QuestionFacts(row.kind, tuple(row.options or ())))
        for q in fresh["question"]:
            self.questions[q.id] = QuestionFacts(q.kind, tuple(q.options or ()))
        self.forecasters.update(existing["forecaster"])
        self.forecasters.update(f.id for f in fresh["forecaster"])
        for sid, row in existing["source"].items():
            if sid not in self.sources:
                self.sources[sid] = self._recorded_source(sid, row)
        for rec in fresh["source"]:
            if rec.text is None and rec.text_path:  # read once, here; the ledger keeps the text itself
                rec.text, found = checks.read_source_text(rec.text_path, self.texts, rec.where)
                self.problems.extend(found)
            self.sources[rec.id] = SourceFacts(checks.normalise_text(rec.text) if rec.text is not None else None, rec.text_path,
                                               rec.published_on)

    def _recorded_source(self, sid: str, row: Source) -> SourceFacts:
        """A source the ledger holds: its stored text, or for one recorded before revision 0005 the
        file its text_path names in the ledger's root folder (why it cannot be read, if not)."""
        if row.text is not None or not row.text_path:
            return SourceFacts(checks.normalise_text(row.text) if row.text is not None else None, row.text_path, row.published_on)
        text, found = checks.read_source_text(row.text_path, self.texts.for_recorded(), Location(sid))
        if text is None:
            return SourceFacts(None, row.text_path, row.published_on,
                               unread=f"the text of source {sid!r} is not stored in the ledger (recorded before revision 0005) and "
                                      f"{found[0].message}")
        return SourceFacts(checks.normalise_text(text), row.text_path, row.published_on)

    def _forecasts(self, records: list[ForecastRecord]) -> list[dict]:
        rows = []
        unnamed: list[tuple[Location, dict]] = []  # new forecasts a file gives without an id
        existing = _fetch(self.session, Forecast.key, [r.identity() for r in records]) if self.had_forecasts else {}
        for rec in records:
            if self.broken and any(ref in self.broken for ref in (("question", rec.question), ("forecaster", rec.forecaster), ("source", rec.source))):
                continue  # its question, forecaster or source failed to read: already reported
            missing = checks.missing_references(rec, self.questions, self.forecasters, self.sources)
            if missing:
                self.missing.extend(checks.unknown(kind, value, self.known_ids(kind), rec.where) for kind, value in missing)
                continue
            source = self.sources.get(rec.source) if rec.source else None
            found = (checks.forecast_shape(rec, self.questions[rec.question]) + checks.made_on_known(rec, source)
                     + checks.quote_in_source(rec, source))
            if found:
                self.problems.extend(found)
                continue
            row = _forecast_row(rec, rec.made_on or source.published_on, self.started)  # type: ignore[union-attr,arg-type]
            key = row["key"]
            first = self.keys.setdefault(key, rec.where)  # type: ignore[arg-type]
            if first is not rec.where:
                self.problems.append(Problem(rec.where, f"forecast {key!r} appears twice (first on line {first.line}); "
                                             "give each forecast its own id to keep both"))
            elif key in existing:
                # A voiding recorded in the ledger since (`ledger void`) is not contradicted by a file that says none.
                differing = [f for f in COMPARED_COLUMNS if getattr(existing[key], f) != row[f] and not (f in _VOIDING and row[f] is None)]
                if differing:
                    self.problems.append(Problem(rec.where, differs(key, differing)))
                else:
                    self.summary.unchanged["forecasts"] += 1
            else:
                rows.append(row)
                self.order.forecast(rec.question, row["made_on"], rec.where)
                if rec.key is None and rec.where is not None:
                    unnamed.append((rec.where, row))
        if unnamed and self.had_forecasts:
            same = self._edited(unnamed)
            if same:
                rows = [row for row in rows if id(row) not in same]
                self.summary.unchanged["forecasts"] += len(same)
        return rows

    def _edited(self, unnamed: list[tuple[Location, dict]]) -> set[int]:
        """A forecast a file gives without an id is known by its content, so an edited claim or
        probability would read as a new forecast beside the old one. One that gives who forecast
        which question from which source on which day in which words (and which window or option)
        like a content-keyed forecast in the ledger that this input no longer gives is taken for an
        edit of it, and refused like any other change. (A different quote is a different statement:
        a draft extracted again from an article quotes it afresh.) One that differs in nothing is
        that forecast, written another way (its source's date given as its made_on): the `id()`s
        of those rows are returned, to be counted as already there."""
        same: set[int] = set()
        earlier: dict[tuple, Forecast] = {}
        for old in _rows_in(self.session, Forecast.question_id, [row["question_id"] for _, row in unnamed], Forecast.id):
            if _CONTENT_KEY.fullmatch(old.key) and old.key not in self.keys:
                earlier.setdefault(tuple(getattr(old, c) for c in _NATURAL), old)
        for where, row in unnamed:
            old = earlier.get(tuple(row[c] for c in _NATURAL))
            if old is not None:
                changed = [c for c in COMPARED_COLUMNS if getattr(old, c) != row[c] and not (c in _VOIDING and row[c] is None)]
                if changed:
                    self.problems.append(Problem(where, edit_of(old.id, changed)))
                else:
                    same.add(id(row))
        return same

    def _forecast_rows(self, rows: ForecastRows) -> None:
        """A CSV chunk's forecasts, checked column by column against their questions and sources (the
        rows that do not pass are reported by the same checks the records of a YAML file go through).
        The rows wait in the loader's staging file, which the write reads again."""
        import numpy as np
        import pandas as pd

        cols, self.name, self.staging = rows.columns, rows.name, rows.staging
        if self._question_index is None or len(self._question_index) != len(self.questions):
            # object, like the chunk's ids: pandas would otherwise infer its string dtype here and, the
            # two differing, rebuild the lookup on every chunk (70–137 ms a chunk at 500,000 questions, not 4–8)
            self._question_index = pd.Index(list(self.questions), dtype=object)
            self._question_kinds = np.array([f.kind for f in self.questions.values()] + [None], dtype=object)
        position = self._question_index.get_indexer(pd.Index(cols["question_id"], dtype=object))
        missing = position < 0
        kinds = self._question_kinds
        assert kinds is not None
        kind = kinds[position]  # -1, a missing question, reads the None at the end
        has_window = pd.Series(cols["window_from"], dtype=object).notna().to_numpy()
        has_option = pd.Series(cols["option"], dtype=object).notna().to_numpy()
        categorical = kind == "categorical"
        misshapen = ~missing & (((kind == "date") != has_window) | (categorical != has_option))
        for i in np.flatnonzero(categorical & has_option):
            misshapen[i] |= cols["option"][i] not in self.questions[cols["question_id"][i]].options
        quotes = pd.Series(cols["quote"], dtype=object)
        quoted = quotes.notna().to_numpy()
        if quoted.any():  # a quote is checked when it is too short to mean anything, or its source has a text
            texts = [sid for sid, facts in self.sources.items() if facts.text is not None or facts.unread is not None]
            short = ~quotes.str.contains(checks.MEANINGFUL_QUOTE.pattern, regex=True).fillna(True).to_numpy(bool)
            quoted = quoted & (short | pd.Series(cols["source_id"], dtype=object).isin(texts).to_numpy())
        wrong = np.zeros(len(rows), bool)
        for i in np.flatnonzero(missing | misshapen | quoted):
            where = Location(rows.name, cols["line"][i])
            rec = SimpleNamespace(where=where, question=cols["question_id"][i], option=cols["option"][i], quote=cols["quote"][i],
                                  source=cols["source_id"][i], distribution=None,
                                  window=(cols["window_from"][i], cols["window_to"][i]) if has_window[i] else None)
            if missing[i]:
                self.missing.append(checks.unknown("question", rec.question, self.known_ids("question"), where))
                wrong[i] = True
                continue
            found = checks.forecast_shape(rec, self.questions[rec.question]) + checks.quote_in_source(rec, self.sources.get(rec.source))  # type: ignore[arg-type]
            self.problems.extend(found)
            wrong[i] = bool(found)
        self.order.forecast_columns(self._question_index, position, cols["made_on"])
        keys = list(compress(cols["key"], ~wrong)) if wrong.any() else cols["key"]  # a row reported already is not a repeat too
        self.key_hashes.append(key_hashes(keys))

    def _resolutions(self, records: list[ResolutionRecord]) -> list[dict]:
        """New resolution rows, each checked against its question and its history.

        A record identical to one in the history is already there (import is idempotent); anything
        else on a resolved question must be flagged as a correction.
        """
        history: dict[str, list] = {}
        for row in _rows_in(self.session, Resolution.question_id, (r.question for r in records), Resolution.sequence):
            history.setdefault(row.question_id, []).append(row)
        planned = []
        now = self.started
        for rec in records:
            if ("question", rec.question) in self.broken:
                continue
            if rec.question not in self.questions:
                self.missing.append(checks.unknown("question", rec.question, self.known_ids("question"), rec.where))
                continue
            facts = self.questions[rec.question]
            try:
                outcome = parse_outcome(facts.kind, list(facts.options), rec.outcome)
                occurred = outcome_date(facts.kind, outcome, rec.occurred_on)
            except ValueError as exc:
                self.problems.append(Problem(rec.where, f"question {rec.question!r}: {exc}", field_of(exc, "outcome")))
                continue
            past = history.setdefault(rec.question, [])
            # A file's record names its entry by its time; a new correction is compared with the current outcome only,
            # so correcting back to an earlier outcome is recorded, not taken for "nothing changed".
            compared = past if rec.recorded_at is not None or not rec.correction else past[-1:]
            if any(_same(old, outcome, occurred, rec) for old in compared):
                self.summary.unchanged["resolutions"] += 1
                continue
            if past and not rec.correction:
                current = past[-1]
                self.refused.append(Problem(rec.where, f"question {rec.question!r} is already resolved as {current.outcome!r} "
                                            f"(recorded {current.recorded_at:%Y-%m-%d}); "
                                            "a resolution is never overwritten — record it as a correction"
                                            f"{' (correction: true)' if rec.where is not None else ''} to replace it", "correction"))
                continue
            if rec.correction and not past:
                self.refused.append(Problem(rec.where, f"question {rec.question!r} has no resolution to correct; record it as a first resolution",
                                            "correction"))
                continue
            row = {"question_id": rec.question, "sequence": len(past) + 1, "outcome": outcome, "occurred_on": occurred or now.date(),
                   "evidence": rec.evidence, "evidence_quote": rec.evidence_quote, "note": rec.note, "recorded_at": rec.recorded_at or now}
            past.append(SimpleNamespace(**row))
            planned.append(row)
            self.order.resolution(rec.question, outcome, row["occurred_on"], rec.where)
        return planned

    def finish(self) -> _Import:
        """Check what needs the whole input (a CSV forecast key given twice), then raise every
        problem at once: as NotFound or Conflict when that is all there is (one command's unknown
        id, or a resolution the history refuses). What is left is ready to `write`."""
        if self.staging is not None and self.key_hashes:
            import numpy as np

            hashes = np.concatenate(self.key_hashes)
            self.key_hashes = []  # each chunk's copy goes before the sort
            hashes.sort()  # in place: equal hashes side by side, without a hash table of every key's beside them
            repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]]).tolist()
            del hashes
            if repeated:
                self.problems += duplicate_keys(self.staging, repeated, self.name)
        self.problems += self.order.problems(self.session, self.staging, self.name, self.had_forecasts)
        if not self.problems and len(self.missing) == 1 and not self.refused:
            raise self.missing[0]
        if not self.problems and not self.missing and self.refused:
            raise Conflict(self.refused)
        every = self.problems + [p for error in self.missing for p in error.problems] + self.refused
        raise_if(sorted(every, key=lambda p: (str(p.location and p.location.file), (p.location and p.location.line) or 0)))
        return self

    def write(self, session: Session) -> Summary:
        """Insert everything checked, in `session`'s transaction (perhaps not the one it was checked in:
        a unique key taken since is a lost race, and the caller checks again)."""
        for model, names, rows in self.pending:
            insert_rows(session, model, names, rows)
        if self.staging is not None:
            added, there, problems = write_staged(session, self.staging, self.name, COMPARED_COLUMNS, self.started, _NATURAL)
            raise_if(problems)
            self.summary.added["forecasts"] += added
            self.summary.unchanged["forecasts"] += there
        return self.summary

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()
            self.staging = None


@contextmanager
def checked_batches(session: Session, batches: Iterable[Batch], texts: TextFolders | None = None, *,
                    progress: Callable[[int], None] | None = None) -> Iterator[_Import]:
    """Read and check every batch against the ledger as `session` sees it, raising every problem at
    once; yields what is ready to `write` (its staging file is removed afterwards). `texts` says
    where source texts may be read from."""
    run = _Import(session, texts or TextFolders())
    try:
        _add_all(run, batches, progress)
        yield run.finish()
    finally:
        run.close()


def _add_all(run: _Import, batches: Iterable[Batch], progress: Callable[[int], None] | None) -> None:
    """Check every batch; a function of its own so that no variable holds the last batch (a million-row
    CSV's 40,000 resolution records) through the write."""
    for batch in batches:
        run.add(batch)
        if progress is not None:
            progress(len(batch.forecasts) + (len(batch.rows) if batch.rows is not None else 0))


def apply_batches(session: Session, batches: Iterable[Batch], texts: TextFolders | None = None, *,
                  progress: Callable[[int], None] | None = None) -> Summary:
    """Check and write every batch in the session's transaction; raise every problem at once."""
    with checked_batches(session, batches, texts, progress=progress) as run:
        return run.write(session)


def apply_batch(session: Session, batch: Batch, texts: TextFolders | None = None) -> Summary:
    return apply_batches(session, [batch], texts)


def _forecast_row(rec: ForecastRecord, made_on: dt.date, now: dt.datetime) -> dict:
    """The table row: the described fields as they are, and the shaped ones spread over their columns."""
    est = rec.estimate
    assert est is not None  # a record without one was reported by its loader
    return {
        **rec.described(), "made_on": made_on,
        "key": rec.identity(), "question_id": rec.question, "forecaster_id": rec.forecaster, "source_id": rec.source,
        "probability": est.probability, "phrase": est.phrase, "scale": est.scale,
        "band_low": est.band.low if est.band else None, "band_high": est.band.high if est.band else None,
        "window_from": rec.window[0] if rec.window else None, "window_to": rec.window[1] if rec.window else None,
        "voided_reason": rec.voided_reason, "voided_on": rec.voided_on,
        "recorded_at": rec.recorded_at or now, "distribution": rec.distribution,
    }


def _same(old, outcome: str, occurred: dt.date | None, rec: ResolutionRecord) -> bool:
    """Whether a resolution record says nothing the history's `old` entry does not already say:
    the same outcome, and the same date, evidence, note and time wherever the record gives one."""
    given = {"occurred_on": occurred, "evidence": rec.evidence, "evidence_quote": rec.evidence_quote, "note": rec.note,
             "recorded_at": rec.recorded_at}
    return old.outcome == outcome and all(value is None or getattr(old, key) == value for key, value in given.items())


def void_forecast(session: Session, ident: str | int, reason: str, on: dt.date | None) -> Forecast:
    """Mark a forecast void because its condition failed: it stays in the ledger and is not scored."""
    problems = unstorable(forecast=str(ident))
    given: list[tuple[str, Any, Callable[[Any], Any]]] = [("reason", reason, void_reason), ("on", on, parse_date)]
    for name, value, convert in given:
        try:
            if value is not None or name == "reason":
                convert(value)
        except ValueError as exc:
            problems.append(Problem(None, str(exc), name))
    raise_if(problems)
    forecast = find_forecast(session, ident)
    if forecast.voided_reason is not None:
        raise Conflict(f"forecast {ident} was already voided on {forecast.voided_on}: {forecast.voided_reason}")
    forecast.voided_reason = reason
    forecast.voided_on = on or dt.date.today()
    session.add(forecast)
    session.flush()
    return forecast


def find_forecast(session: Session, ident: str | int) -> Forecast:
    """A forecast by its number (as listed) or its key (as exported)."""
    text = str(ident).strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
    query = select(Forecast).where(Forecast.id == number) if number is not None else select(Forecast).where(Forecast.key == text)
    forecast = session.exec(query).first()
    if forecast is None:
        low, high = session.exec(select(func.min(Forecast.id), func.max(Forecast.id))).one()
        numbered = f"forecasts are numbered {low} to {high}" if low is not None else "the ledger has no forecasts yet"
        keys = [] if number is not None else close_matches(text, list(session.exec(select(Forecast.key).limit(20000))))
        raise NotFound("forecast", text, keys, advice=f"give a number from the forecast listing or a key from an export ({numbered})")
    return forecast
