"""`Ledger`: the public API. The CLI and notebooks both call it; it owns every transaction.

    from datetime import date
    from ledger import Ledger

    with Ledger("ledger.db") as lg:
        lg.add(question="q1", question_text="Will X happen?", forecaster="ana", name="Ana Li",
               probability=0.7, made_on=date(2026, 1, 5))
        lg.resolve("q1", "yes", on=date(2026, 2, 1))
        lg.scores()

Every method raises a `LedgerError` subclass (`InvalidInput`, `NotFound`, `Conflict`,
`DatabaseError`) and writes nothing when it does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.db.engine import resolve_url, safe_url, sqlite_file, sqlite_path
from ledger.errors import InvalidInput, Problem

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine
    from sqlmodel import Session

    from ledger.db.migrate import Upgraded
    from ledger.db.store import Summary
    from ledger.schema.tables import Forecast, Resolution

Progress = Callable[[int], None] | None


class Ledger:
    """A forecast ledger in a database: a path to a SQLite file, or any SQLAlchemy URL
    (`postgresql+psycopg://user@host/db`).

    A database with no ledger yet is given one at the current schema (`create=False` refuses
    instead); one at an older schema is refused with the command that upgrades it. Sources keep
    their text in the database; `root` is where the texts of sources recorded before revision 0005
    (their path alone) are read from (default: the SQLite file's folder).
    """

    def __init__(self, db: str | Path | None = None, *, create: bool = True, root: str | Path | None = None):
        from ledger.db.migrate import judge_revision

        self.url = resolve_url(str(db) if db is not None else None)
        file = _file_of(self.url)
        self.root = Path(root) if root is not None else (file.resolve().parent if file is not None else None)
        self._engines: dict[bool, Engine] = {}
        if file is not None and not file.exists() and not create:
            judge_revision(None, safe_url(self.url))  # says how to make one; never creates the file
        revision = _revision(self.url)
        if revision is None and create:
            upgrade(self.url)
        else:
            judge_revision(revision, safe_url(self.url))

    def __repr__(self) -> str:
        return f"Ledger({safe_url(self.url)!r})"

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    # --- the schema --------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> Upgraded:
        """Bring the schema to `revision` (see `upgrade`)."""
        self.close()
        return upgrade(self.url, revision)

    # --- writing -----------------------------------------------------------------------------

    def _engine(self, write: bool = False) -> Engine:
        if write not in self._engines:
            from ledger.db.engine import make_engine

            self._engines[write] = make_engine(self.url, write=write)
        return self._engines[write]

    def _write(self, operation: Callable[[Session], Any], *, dry_run: bool = False) -> Any:
        from ledger.db.session import run_write

        return run_write(self._engine(write=True), operation, dry_run=dry_run)

    def _read(self, operation: Callable[[Session], Any]) -> Any:
        from ledger.db.session import reading_errors, session_for

        with reading_errors(self._engine()), session_for(self._engine()) as session:
            return operation(session)

    def add(self, question: str, forecaster: str, *, probability: float | None = None, says: str | None = None,
            scale: str | None = None, source: str | None = None, window: tuple[dt.date, dt.date] | None = None,
            question_text: str | None = None, kind: str | None = None, options: list[str] | None = None,
            resolve_by: dt.date | None = None, name: str | None = None, affiliation: str | None = None,
            forecaster_kind: str | None = None, title: str | None = None, published_on: dt.date | None = None,
            prompt: Callable[[str], str] | None = None, confirm_new: Callable[[str, str, list[str]], bool] | None = None,
            **fields: Any) -> Forecast:
        """Record one forecast: a stated `probability` (0.7) or the forecaster's words (`says="likely"`,
        turned into a number by `scale`, ICD 203 by default). `fields` are the forecast's described
        fields: `made_on` (default: the source's date, else today), `quote` (verbatim), `claim`,
        `option` (categorical questions), `condition`. A question, forecaster or source not yet in
        the ledger is created from `question_text`/`kind`/`options`/`resolve_by`, `name`/
        `affiliation`/`forecaster_kind` and `title`/`published_on`; `prompt(label)` is asked for
        what is missing, if given. Before anything is created, `confirm_new(kind, id, near_ids)` is
        told of each new record with the closest existing ids; False writes nothing. The same
        forecast twice is a `Conflict` naming the forecast already recorded."""
        from ledger.db.adding import NewForecast, add_forecast
        from ledger.db.checks import TextFolders

        request = NewForecast(question, forecaster, probability, says, scale, source, window, question_text, kind, options,
                              resolve_by, name, affiliation, forecaster_kind, title, published_on, fields)
        return self._write(lambda session: add_forecast(session, request, TextFolders(root=self.root), prompt, confirm_new))

    def resolve(self, question: str, outcome: str, *, on: dt.date | None = None, evidence: str | None = None,
                quote: str | None = None, note: str | None = None, correct: bool = False) -> Resolution:
        """Record a question's outcome: yes/no, the date it happened (date questions), one of its
        options, or annulled/ambiguous. A resolved question is never overwritten: a second
        resolution is a `Conflict` unless `correct=True`, which appends a correction to its history.
        Recording what the history already says changes nothing."""
        from ledger.db.resolving import resolve

        return self._write(lambda session: resolve(session, question, outcome, on=on, evidence=evidence, quote=quote,
                                                   note=note, correct=correct))

    def void(self, forecast: int | str, *, reason: str, on: dt.date | None = None) -> Forecast:
        """Void a conditional forecast whose condition failed (by its number or key): it is kept,
        never scored."""
        from ledger.db.store import void_forecast

        return self._write(lambda session: void_forecast(session, forecast, reason, on))

    def import_file(self, path: str | Path, *, scale: str | None = None, dry_run: bool = False,
                    progress: Progress = None, texts_from: str | Path | None = None) -> Summary:
        """Import a .yaml, .json or .csv ledger file: all or nothing, and idempotent (what the
        ledger already holds is counted, not added again). Every problem in the file is raised at
        once as `InvalidInput`, each with its `file:line`. `scale` reads hedge phrases when the file
        names none. A source's `text_path` is read (once: the ledger keeps the text) only from
        inside the file's folder, or inside `texts_from` when given."""
        from ledger.db.checks import TextFolders
        from ledger.db.session import reading_errors, run_write, session_for
        from ledger.db.store import checked_batches
        from ledger.io.loaders import load_batches
        from ledger.schema.probability import DEFAULT_SCALE, check_scale

        if scale is not None:  # refused even when no phrase in the file needs it
            try:
                check_scale(scale)
            except ValueError as exc:
                raise InvalidInput([Problem(None, str(exc), "scale")]) from None
        file = Path(path)
        try:
            folder = file.resolve().parent
        except (OSError, RuntimeError):  # a symlink loop: the loader says it cannot read the file
            folder = file.absolute().parent
        texts = TextFolders(folder, (Path(texts_from),) if texts_from is not None else (), self.root)
        if texts_from is not None and not Path(texts_from).is_dir():
            raise InvalidInput(f"{texts_from} is not a folder; give the folder that holds the source texts", field="texts_from")

        @contextmanager
        def checked() -> Iterator[Callable[[Session], Summary]]:
            """Read and check the file on a reading connection, so the write lock is held only to write."""
            with reading_errors(self._engine()), session_for(self._engine()) as session, checked_batches(
                    session, load_batches(file, scale or DEFAULT_SCALE), texts, progress=progress) as run:
                session.close()
                yield run.write

        return run_write(self._engine(write=True), prepare=checked, dry_run=dry_run)

    def export(self, target: str | Path = "yaml", *, format: str | None = None) -> str | Path:
        """The whole ledger as text in `target` format ("yaml", "json" or "csv"), or written
        atomically to the file `target` (format from `format`, else its extension) and its path
        returned. YAML and JSON keep the full resolution history and each source's text; import
        reads them back from any folder."""
        from ledger.io.export import FORMATS, render

        if str(target) in FORMATS and format is None:
            return self._read(lambda session: render(session, str(target)))
        path = Path(target)
        fmt = format or path.suffix.lower().lstrip(".").replace("yml", "yaml")
        if fmt not in FORMATS:
            raise InvalidInput([Problem(None, f"unknown export format {fmt!r}; use {', '.join(FORMATS)}", "format")])
        return self.write(path, self._read(lambda session: render(session, fmt)))

    def write(self, path: str | Path, data: str | bytes, *, field: str = "output") -> Path:
        """Write a file made from the ledger (an export, a report, a chart) atomically: whole or not
        at all, never an empty or half file, and never onto the ledger's own database (or its
        journal), however it is named. A path that cannot be written is an `InvalidInput` naming
        `field`."""
        from ledger.io.files import write_atomic

        return write_atomic(Path(path), data, field=field, keep=self._files())

    def _files(self) -> list[Path]:
        """The files of a SQLite ledger: the database and its journals."""
        file = _file_of(self.url)
        return [] if file is None else [file, *(file.with_name(file.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]

    # --- reading -----------------------------------------------------------------------------

    def forecast_rows(self, *, status: str | None = None, forecaster: str | None = None, source: str | None = None,
                      tag: str | None = None, question: str | None = None, limit: int | None = None) -> list[dict]:
        """Forecasts in entry order with their question's status, as plain rows; every filter is
        optional, and one naming no record is a `NotFound` with the closest ids."""
        from ledger.db.queries import list_forecasts

        _within("limit", limit, 1, MAX_ROWS, "a number of rows")
        return self._read(lambda session: list_forecasts(session, status=status, forecaster=forecaster, source=source,
                                                         tag=tag, question=question, limit=limit))

    def forecasts(self, **filters: Any) -> pd.DataFrame:
        """`forecast_rows` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.forecast_rows(**filters))

    def question(self, question: str) -> dict:
        """A question with every forecast on it (the latest per forecaster marked) and its
        resolution history."""
        from ledger.db.queries import show_question

        return self._read(lambda session: show_question(session, question))

    def due(self, within: int = 0) -> list[dict]:
        """Unresolved questions past their resolve-by date, or due within `within` days."""
        from ledger.db.queries import due

        _within("within", within, 0, MAX_DAYS, "a number of days")
        return self._read(lambda session: due(session, within))

    def forecasters(self) -> list[dict]:
        """The forecasters, with their number of forecasts."""
        from ledger.db.queries import forecasters

        return self._read(forecasters)

    def sources(self) -> list[dict]:
        """The sources, with their number of forecasts."""
        from ledger.db.queries import sources

        return self._read(sources)

    def scores(self, by: str = "forecaster", *, min_n: int = 5, latest: bool = False, as_of: dt.date | None = None,
               sort: str | None = None, columns: Collection[str] | None = None,
               progress: Callable[..., None] | None = None) -> pd.DataFrame:
        """The accuracy report as a leaderboard: one row per forecaster (or source, publisher, tag,
        phrase, question, horizon) with the same columns and order as `ledger report --format json`
        (only `columns` of them, with the group key, rank, the column ranked by and note, if given:
        what is not asked for may not be computed), ranked by `sort` (default: Brier) with rows
        below `min_n` scored forecasts last (docs/scoring.md)."""
        from ledger.scoring.reports import scores

        _within("min_n", min_n, 1, MAX_ROWS, "a number of forecasts")
        return scores(self.url, by, min_n=min_n, latest=latest, as_of=as_of, sort=sort, columns=columns, progress=progress)

    def pairwise(self, *, forecaster: str | None = None, latest: bool = False, as_of: dt.date | None = None) -> pd.DataFrame:
        """Every pair of forecasters sharing a resolved question (with `forecaster`, those of that
        one): the ratio of their mean day-by-day Brier there (scoringutils' pairwise comparison)
        and a sign test's p-value (docs/scoring.md). An unknown `forecaster` is a NotFound."""
        from ledger.scoring.reports import pairwise

        return pairwise(self.url, forecaster=forecaster, latest=latest, as_of=as_of)

    def aggregate(self, method: str = "median", forecaster: str = "crowd", *, as_of: dt.date | None = None,
                  exponent: float | None = None, name: str | None = None) -> dict:
        """Record the crowd's forecast on every binary question as forecasts by the aggregate
        forecaster `forecaster`: the `method` (median, mean, geo-mean-odds, extremized, track-record)
        of the other forecasters' latest forecasts made on or before `as_of`. Running it again
        replaces that forecaster's forecasts. `exponent` is the extremizing exponent (default 2.5)."""
        from ledger.db.aggregating import record_aggregate
        from ledger.errors import close_matches
        from ledger.scoring.aggregation import EXTREMIZING_EXPONENT, METHODS

        if method not in METHODS:
            hint = close_matches(method, METHODS, n=1)
            raise InvalidInput(f"unknown method {method!r}" + (f"; did you mean {hint[0]!r}?" if hint else f"; choose one of {', '.join(METHODS)}"),
                               field="method")
        from ledger.schema.ids import identifier

        try:
            forecaster = identifier(forecaster)
        except ValueError as exc:
            raise InvalidInput(f"the aggregate forecaster needs an id: {exc}", field="forecaster") from None
        if exponent is not None and not (math.isfinite(exponent) and 0 < exponent <= MAX_EXPONENT):
            raise InvalidInput(f"the extremizing exponent {exponent:g} is out of range; give a number above 0 and at most "
                               f"{MAX_EXPONENT} (1 leaves the forecasts as they are, 2.5 is the default)", field="exponent")
        return self._write(lambda session: record_aggregate(session, forecaster, method, as_of=as_of, name=name,
                                                            exponent=EXTREMIZING_EXPONENT if exponent is None else exponent))

    def report_html(self, path: str | Path | None = None, *, min_n: int = 5, latest: bool = False, as_of: dt.date | None = None,
                    title: str | None = None) -> str | Path:
        """The report as one self-contained HTML page to share (leaderboard, calibration charts, every
        forecast and every question's history; nothing fetched when it opens): written atomically
        to `path` and its path returned, or its text when no path is given."""
        from ledger.page import render

        _within("min_n", min_n, 1, MAX_ROWS, "a number of forecasts")
        text = render(self.url, min_n=min_n, latest=latest, as_of=as_of, title=title)
        if path is None:
            return text
        return self.write(path, text)

    def calibration(self, bins: int = 10, *, forecaster: str | None = None, latest: bool = False,
                    as_of: dt.date | None = None, by: str | None = None) -> pd.DataFrame:
        """Scored forecasts binned from 0 to 100%: forecast mean, share that happened, counts and a
        Wilson 95% interval per bin; `by="year"` or `"quarter"` gives one table per period in which
        the forecasts were made (a leading `period` column)."""
        from ledger.scoring.reports import calibration

        _within("bins", bins, 2, 100, "a number of bins")
        return calibration(self.url, forecaster=forecaster, bins=bins, latest=latest, as_of=as_of, by=by)

    def extract(self, article: str | Path, **options: Any) -> tuple[Any, str]:
        """Draft an article's forecasts as an import file to review, matching the questions this
        ledger holds (see `ledger.extract.draft_yaml` for the options)."""
        from ledger.extract import draft_yaml

        return self._read(lambda session: draft_yaml(Path(article), session=session, **options))


MAX_ROWS = 2**63 - 1  # the largest whole number the databases store
MAX_DAYS = 100_000  # about 270 years: far enough ahead, and always a date the calendar has
MAX_EXPONENT = 100  # beyond it every extremized forecast is 0 or 1


def _within(field: str, value: int | None, low: int, high: int, what: str) -> None:
    """Refuse a count out of its range, naming the field, before the database or the calendar does."""
    if value is not None and not low <= value <= high:
        raise InvalidInput(f"{value} is out of range; give {what} from {low} to {high}", field=field)


def upgrade(db: str | Path | None = None, revision: str = "head") -> Upgraded:
    """Create or upgrade a database's schema to `revision` (SQLite files are backed up first);
    returns the revision before (None: empty), the revision after, the backup's path and what the
    migrations repaired (`ledger.db.migrate.Upgraded`)."""
    from ledger.db import migrate

    return migrate.upgrade(resolve_url(str(db) if db is not None else None), revision)


def revision(db: str | Path | None = None) -> str | None:
    """The schema revision a database is at; None for an empty one."""
    return _revision(resolve_url(str(db) if db is not None else None))


def has_ledger(db: str | Path | None = None) -> bool:
    """Whether the database exists (for a SQLite file: the file does); opening it would not create it."""
    file = _file_of(resolve_url(str(db) if db is not None else None))
    return file is None or file.exists()


def has_ledger_file(db: str | Path | None = None) -> bool:
    """Whether the database is a SQLite file (as opposed to a server)."""
    return _file_of(resolve_url(str(db) if db is not None else None)) is not None


def _file_of(url: str) -> Path | None:
    """The SQLite file a URL names (None for a server), without SQLAlchemy for a plain path."""
    path = sqlite_path(url)
    return Path(path) if path is not None else sqlite_file(url)


def _revision(url: str) -> str | None:
    """A plain SQLite file's revision is read with the standard sqlite3 module: a command that goes
    on to read through it (a report) never imports SQLAlchemy."""
    from ledger.db.engine import revision_of, sqlite_revision

    path = sqlite_path(url)
    if path is not None and Path(path).exists():
        return sqlite_revision(path, url)
    file = _file_of(url)
    if file is not None and not file.exists():  # asking must not create the file, as connecting would
        return None
    return revision_of(url)


def history() -> str:
    """The list of schema migrations."""
    from ledger.db import migrate

    return migrate.history()
