"""Accuracy reports as pandas DataFrames: the reporting layer, and the only place pandas is imported.

`forecast_frame` reads every forecast and each question's current outcome with plain SQL through the
database driver (`database.reading`: the standard sqlite3 module for a SQLite file, so a report
imports neither SQLAlchemy nor the models) into one array per column, its text columns grouped by
the database itself, and reduces each forecast to (p, o); `scores` and `calibration` group and
score it with the pure functions in `scoring`. Notebook users call them directly with a database URL:

    from ledger.scoring import reports
    reports.scores("sqlite:///ledger.db", by="forecaster")
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from ledger.db.engine import resolve_url
from ledger.db.resolution import CURRENT_RESOLUTIONS
from ledger.db.session import reading
from ledger.errors import InvalidInput, close_matches
from ledger.schema.vocabulary import GROUPINGS, PERIODS, VOID_OUTCOMES
from ledger.scoring import leaderboard, platform_scores
from ledger.scoring import rules as scoring
from ledger.scoring.platform_scores import day_numbers

DEFAULT_MIN_N = 5
TOO_FEW = "too few resolved forecasts to judge"
STATES = ("voided", "annulled", "scored", "open")  # a forecast's state, in the order it is decided
CHUNK = 20000  # rows fetched at a time: bounds the memory the driver's row objects take

# The forecasts' text columns a report reads, as (name, SQL, whether the codes `_numbered` gives them are kept
# as a `<name>_code` column).
NUMBERED_COLUMNS = [("forecaster", "forecaster_id", True), ("question", "question_id", True), ("made_on", "made_on", True),
                    ("window_from", "window_from", False), ("window_to", "window_to", False), ("option", "option", False)]
GROUPING_COLUMNS = {"source": [("source", "source_id", False)], "publisher": [("source", "source_id", False)],
                    "phrase": [("phrase", "phrase", False), ("scale", "scale", False)]}
# Columns, as (name, SQL, kind), most forecasts leave empty (a plain yes/no forecast has none of them), with the
# value of an empty one: they are read only for the rows that set one (see `_sparse`).
SPARSE_COLUMNS = [
    (("band_low", "band_low", "float"), np.nan), (("band_high", "band_high", "float"), np.nan),
    (("voided", "voided_reason", "bool"), False), (("distribution", "distribution", "json"), None),
]
QUESTION_COLUMNS = [("id", "id", "text"), ("kind", "kind", "text"), ("options", "options", "json")]
OUTCOME_COLUMNS = [("question_id", "question_id", "text"), ("outcome", "outcome", "text"), ("occurred_on", "occurred_on", "date")]


def _read(connection, table: str, columns: list[tuple[str, str, str]], where: str = "") -> pd.DataFrame:
    """SELECT `columns` FROM `table` as a DataFrame, fetched with the driver's own cursor in chunks and
    turned into one array per column: building anything more per row would cost more than the
    report's arithmetic."""
    sql = f"SELECT {', '.join(f'{expression} AS {name}' for name, expression, _ in columns)} FROM {table}{where}"
    cursor = connection.cursor()
    collecting = gc.isenabled()
    gc.disable()  # rows of plain values cannot form cycles; collecting while millions are made is wasted time
    try:
        cursor.execute(sql)
        chunks = []
        while rows := cursor.fetchmany(CHUNK):
            chunks.append(_columns(rows, columns))
            del rows  # the driver's row objects go before the next chunk's are made, which reuses their memory
    finally:
        cursor.close()
        if collecting:
            gc.enable()
    parts = chunks or [_columns([], columns)]
    return pd.DataFrame({name: _column(np.concatenate([chunk[i] for chunk in parts])) for i, (name, _, _) in enumerate(columns)})


def _column(values: np.ndarray) -> pd.Series | np.ndarray:
    """Numbers as they are; text as Python objects (see `_objects`)."""
    return _objects(values) if values.dtype == object else values


def _numbered(connection, expression: str, where: list[str], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text or date column of the forecasts `ids` (ascending) as its distinct values and the number
    of each forecast's value (−1 where it is NULL; an empty text is a value). The database groups the
    column and hands over each value once, with its rows' ids joined in one text that numpy parses:
    a string per row from the driver, hashed again to number it, took most of a report's reading."""
    driver = type(getattr(connection, "dbapi_connection", connection))  # a pool's connection, or a plain one
    joined = "string_agg(CAST(id AS TEXT), ',')" if driver.__module__.startswith("psycopg") else "group_concat(id)"
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT {expression}, count(*), {joined} FROM forecast"
                       f"{_where([*where, f'{expression} IS NOT NULL'])} GROUP BY {expression}")
        groups = cursor.fetchall()
    finally:
        cursor.close()
    values = _iso(np.fromiter((group[0] for group in groups), dtype=object, count=len(groups)))
    sizes = np.fromiter((group[1] for group in groups), dtype=np.int64, count=len(groups))
    members = np.fromstring(",".join(group[2] for group in groups), dtype=np.int64, sep=",") if groups else np.zeros(0, np.int64)
    # numbered by their first forecast, as `pd.factorize` numbers a column, whatever order the database grouped
    # them in: sums then run in the same order on SQLite and PostgreSQL, and give the same last digit
    first = np.argsort(np.minimum.reduceat(members, np.cumsum(sizes) - sizes)) if groups else np.zeros(0, np.int64)
    number = np.empty(len(groups), dtype=np.int64)
    number[first] = np.arange(len(groups))
    codes = np.full(len(ids), -1, dtype=np.int64)
    codes[_positions(ids, members)] = np.repeat(number, sizes)
    return values[first], codes


def _positions(ids: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Where each of `members` is in `ids` (ascending, holding them all). Ids are nearly consecutive,
    so a table from id to position answers in one gather, several times faster than a binary search
    each (1M: 0.1 s a column against 0.02 s); ids spread wide are searched."""
    span = int(ids[-1]) - int(ids[0]) if len(ids) else 0  # as Python integers: ids far apart overflow int64
    if not len(ids) or span >= 4 * len(ids):
        return np.searchsorted(ids, members)
    position = np.zeros(span + 1, dtype=np.int64)
    position[ids - ids[0]] = np.arange(len(ids))
    return position[members - ids[0]]


_DTYPES = {"float": "f8", "int": "i8", "bool": "?"}  # the other kinds stay the driver's objects


def _columns(rows: list[tuple], columns: list[tuple[str, str, str]]) -> list[np.ndarray]:
    """A chunk of rows as one array per column, transposed by numpy in one pass over the tuples
    (on the forecasts' wide scans, faster than `zip(*rows)` and an array per column: the sparse scan
    of 100,000 forecasts 0.099 → 0.077 s; a narrow table's few rows gain nothing): NaN for missing numbers;
    dates as ISO text (SQLite stores text, PostgreSQL returns date objects); JSON as given
    (decoded later, where it is used). Each column is a copy, so the record array is freed with the chunk."""
    table = np.fromiter(rows, dtype=np.dtype([(name, _DTYPES.get(kind, "O")) for name, _, kind in columns]), count=len(rows))
    return [_iso(table[name]) if kind == "date" else table[name].copy() for name, _, kind in columns]


def _iso(values: np.ndarray) -> np.ndarray:
    """A date column as ISO text, whichever the driver returned."""
    if isinstance(next((v for v in values if v is not None), None), dt.date):
        return np.array([None if v is None else v.isoformat() for v in values], dtype=object)
    return values.copy()


def forecast_frame(connection, *, as_of: dt.date | None = None, by: str | None = None) -> pd.DataFrame:
    """One row per forecast: who (and whether an aggregate), p, the band it came from, its id, date,
    state and o (NaN unless scored), its question's resolution date, plus the column a `by` grouping
    needs. `connection` is one from `database.reading`.

    With `as_of`, the ledger as it stood on that date: forecasts made by then, outcomes that had
    happened by then. The forecasts' ids and probabilities are one plain scan, each text column one
    grouped query (`_numbered`), the rarely set columns one more (`_sparse`); each question's kind
    and current outcome are read separately (one row per question) and mapped on, which is cheaper
    than joining them to every forecast in SQL.
    """
    made_by = [f"made_on <= '{as_of.isoformat()}'"] if as_of is not None else []
    frame = _read(connection, "forecast", [("id", "id", "int"), ("p", "probability", "float")], f"{_where(made_by)} ORDER BY id")
    ids = frame["id"].to_numpy()
    distinct = {}
    for name, expression, keep in NUMBERED_COLUMNS + GROUPING_COLUMNS.get(by or "", []):
        distinct[name], codes = _numbered(connection, expression, made_by, ids)
        frame[name] = _objects(np.r_[distinct[name], np.array([None], dtype=object)][codes])  # code −1 (NULL) is the None
        if keep:
            frame[f"{name}_code"] = codes
    for name, values in _sparse(connection, ids, made_by).items():
        frame[name] = values
    questions_table = _read(connection, "question", QUESTION_COLUMNS).set_index("id")
    kinds = questions_table["kind"]
    outcomes = _read(connection, f"({CURRENT_RESOLUTIONS}) current_resolution", OUTCOME_COLUMNS).set_index("question_id")
    forecasters = _read(connection, "forecaster", [("id", "id", "text"), ("kind", "kind", "text")]).set_index("id")["kind"]
    kind_of = forecasters.reindex(distinct["forecaster"]).to_numpy(dtype=object) == "aggregate"
    frame["aggregate"] = kind_of[frame["forecaster_code"].to_numpy()] if len(kind_of) else np.zeros(len(frame), dtype=bool)
    if by == "publisher":
        publishers = _read(connection, "source", [("id", "id", "text"), ("publisher", "publisher", "text")]).set_index("id")["publisher"]
        frame["publisher"] = frame["source"].map(publishers)
    if as_of is not None:
        outcomes = outcomes[outcomes["occurred_on"].isna() | (outcomes["occurred_on"] <= as_of.isoformat())]
    question, questions = frame["question_code"].to_numpy(), pd.Index(distinct["question"], dtype=object)
    frame["made_day"] = day_numbers(distinct["made_on"])[frame["made_on_code"].to_numpy()]
    kind = kinds.reindex(questions).to_numpy(dtype=object)
    settled = outcomes.reindex(questions)
    outcome = settled["outcome"].to_numpy(dtype=object)
    frame["occurred_day"] = day_numbers(settled["occurred_on"].to_numpy(dtype=object))[question]
    distribution = frame["distribution"].to_numpy(dtype=object, copy=True)
    given = np.flatnonzero(frame["distribution"].notna().to_numpy())  # rare: only categorical forecasts with a distribution
    distribution[given] = [_json(value) for value in distribution[given]]
    frame["distribution"] = distribution
    options = np.full(len(frame), None, dtype=object)  # the question's options, only where a distribution needs them
    options[given] = questions_table["options"].reindex(questions).map(_json).to_numpy(dtype=object)[question[given]]
    frame["options"] = options
    frame["kind"] = _objects(kind[question])
    frame["outcome"] = _objects(outcome[question])
    frame["occurred_on"] = _objects(settled["occurred_on"].to_numpy(dtype=object)[question])
    o = scoring.event_outcomes(question, kind, outcome, frame["window_from"], frame["window_to"], frame["option"])
    void_question = np.isin(outcome.astype(str), VOID_OUTCOMES)[question]
    state = np.select([frame["voided"].to_numpy(), void_question, ~np.isnan(o)], [0, 1, 2], 3)
    frame["o"] = np.where(state == STATES.index("scored"), o, np.nan)
    frame["state"] = pd.Categorical.from_codes(state, categories=pd.Index(STATES))
    return frame


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _sparse(connection, ids: np.ndarray, made_by: list[str]) -> dict[str, pd.Series | np.ndarray]:
    """The `SPARSE_COLUMNS` of the forecasts `ids` (ascending), one array each in the order of `ids`:
    the scan returns only the rows that set one of them."""
    any_set = "(" + " OR ".join(f"{expression} IS NOT NULL" for (_, expression, _), _ in SPARSE_COLUMNS) + ")"
    columns = [("id", "id", "int")] + [(name, f"{expression} IS NOT NULL" if kind == "bool" else expression, kind)
                                       for (name, expression, kind), _ in SPARSE_COLUMNS]
    found = _read(connection, "forecast", columns, _where([*made_by, any_set]))
    at = _positions(ids, found["id"].to_numpy())
    result: dict[str, pd.Series | np.ndarray] = {}
    for (name, _, _), empty in SPARSE_COLUMNS:
        values = np.full(len(ids), empty, dtype=object if empty is None else type(empty))
        values[at] = found[name].to_numpy(dtype=values.dtype)
        result[name] = _objects(values) if empty is None else values
    return result


def _objects(values: np.ndarray) -> pd.Series:
    """A column kept as Python objects: pandas would otherwise spend time converting it to its string type."""
    return pd.Series(values, dtype=object, copy=False)


def _json(value):
    """JSON columns come back as text from SQLite and as objects from PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _multicategory(frame: pd.DataFrame) -> np.ndarray:
    """The multi-category Brier of each scored forecast that gave a full distribution (NaN for the rest),
    computed for all forecasts with the same number of options at once."""
    result = np.full(len(frame), np.nan)
    rows = np.flatnonzero((frame["distribution"].notna() & (frame["state"] == "scored")).to_numpy())
    if not len(rows):
        return result
    options = frame["options"].to_numpy()[rows]
    distributions, outcomes = frame["distribution"].to_numpy()[rows], frame["outcome"].to_numpy()[rows]
    sizes = np.array([len(o) for o in options])
    for size in np.unique(sizes):
        pick = np.flatnonzero(sizes == size)
        matrix = [[distributions[i][option] for option in options[i]] for i in pick]
        truth = [options[i].index(outcomes[i]) for i in pick]
        result[rows[pick]] = scoring.multicategory_brier(matrix, truth)
    return result


def latest_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Each forecaster's latest forecast per question (by date, then by entry order)."""
    ordered = frame.sort_values(["made_on", "id"])
    return ordered.drop_duplicates(["forecaster", "question"], keep="last").sort_values("id")


def _group_keys(frame: pd.DataFrame, by: str, tags: pd.DataFrame | None) -> pd.DataFrame:
    if by == "tag":
        assert tags is not None  # read by `scores` for this grouping
        tagged = frame.merge(tags, on="question", how="left")
        return tagged.assign(key=tagged["tag"].fillna("(untagged)"))
    if by == "horizon":
        from ledger.scoring.horizons import bucket

        return frame.assign(key=bucket(frame["made_on"].to_numpy(), frame["occurred_on"].to_numpy()))
    if by == "phrase":
        label = frame["phrase"].str.lower() + " (" + frame["scale"].fillna("") + ")"
        return frame.assign(key=label.fillna("(stated number)"))
    return frame.assign(key=frame[by].fillna("(none)"))


def _sorted_codes(keyed: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.Index]:
    """`pd.factorize(keyed["key"], sort=True)`, by forecaster or question from the codes read with
    the column: only the distinct ids are sorted, no row's text is hashed."""
    if by not in ("forecaster", "question") or not len(keyed):
        return pd.factorize(keyed["key"], sort=True)
    code = keyed[f"{by}_code"].to_numpy()
    name_of = np.empty(int(code.max()) + 1, dtype=object)
    name_of[code] = keyed[by].to_numpy()
    present = np.flatnonzero(np.bincount(code))
    order = np.argsort(name_of[present], kind="stable")
    rank = np.zeros(len(name_of), dtype=np.int64)
    rank[present[order]] = np.arange(len(order))
    return rank[code], pd.Index(name_of[present[order]], dtype=object)


def _relative(frame: pd.DataFrame) -> np.ndarray:
    """Each scored forecast's Brier minus the median of the other forecasters' (mean) Brier on its
    question; a forecaster's forecasts on a question are one `pair` (`platform_scores.per_forecast`)."""
    scored = np.flatnonzero((frame["state"] == "scored").to_numpy())
    pair_of_row = frame["pair"].to_numpy()[scored]
    brier = frame["brier"].to_numpy()[scored]
    pair_brier = np.bincount(pair_of_row, weights=brier) / np.bincount(pair_of_row)
    counted = np.bincount(pair_of_row, weights=~frame["aggregate"].to_numpy(dtype=bool)[scored]) > 0
    pair_question = np.zeros(len(pair_brier), dtype=np.int64)
    pair_question[pair_of_row] = frame["question_code"].to_numpy()[scored]
    others = scoring.median_of_others(pair_brier, pair_question, counted)
    relative = np.full(len(frame), np.nan)
    relative[scored] = brier - others[pair_of_row]
    return relative


def _days_outside(frame: pd.DataFrame) -> np.ndarray:
    """For scored date forecasts, days between the actual date and the window (0 inside); else NaN."""
    dated = np.flatnonzero(((frame["kind"] == "date") & (frame["state"] == "scored")).to_numpy())
    days = np.full(len(frame), np.nan)
    if len(dated):
        day = {c: day_numbers(frame[c].to_numpy()[dated]) for c in ("outcome", "window_from", "window_to")}
        before = np.maximum(day["window_from"] - day["outcome"], 0)
        after = np.maximum(day["outcome"] - day["window_to"], 0)
        days[dated] = before + after
    return days


def scores(db: str | None, by: str = "forecaster", *, min_n: int = DEFAULT_MIN_N, latest: bool = False,
           as_of: dt.date | None = None, sort: str | None = None, columns: Collection[str] | None = None,
           resamples: int = 1000, seed: int = 0, progress: Callable[..., None] | None = None) -> pd.DataFrame:
    """One row per group: counts, Brier (with a bootstrap 95% interval), log score, skill scores,
    relative Brier, Murphy terms, calibration-in-the-large and the verbal-band sensitivity (only
    `columns` of them, if given: see `summarise`). `db` is a database URL or SQLite path (None:
    $LEDGER_DATABASE_URL, else ./ledger.db). `progress(steps, label)` is told as reading and scoring finish."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    with reading(resolve_url(db)) as connection:
        frame = forecast_frame(connection, as_of=as_of, by=by)
        tags = _read(connection, "question_tag", [("question", "question_id", "text"), ("tag", "tag", "text")]) if by == "tag" else None
    if progress:
        progress(1, "scoring")
    report = summarise(frame, by, tags=tags, min_n=min_n, latest=latest, sort=sort, columns=columns, resamples=resamples, seed=seed)
    if progress:
        progress(1, "printing")
    return report


def summarise(frame: pd.DataFrame, by: str, *, tags: pd.DataFrame | None = None, min_n: int = DEFAULT_MIN_N,
              latest: bool = False, sort: str | None = None, columns: Collection[str] | None = None,
              resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The report table for a forecast frame (see `scores`), as a leaderboard ranked by `sort`
    (default: Brier; see `leaderboard.rank`). With `columns`, only those (besides the group key,
    rank, the column ranked by and note), and the costly ones not asked for are not computed: `time_relative`'s day-by-day
    medians (a fifth of the scoring), the Murphy terms, the days outside a window, the multi-category Brier."""
    if latest:
        frame = latest_only(frame)
    if isinstance(columns, str) or not all(isinstance(c, str) for c in columns or ()):
        raise InvalidInput("columns is a list of the report's column names, such as ['brier', 'peer']", field="columns")
    wanted = None if columns is None else {*columns, by, "rank", "note", sort or leaderboard.default_sort(by)}

    def asked(*names: str) -> bool:
        """Whether any of these columns is returned; those that are not are NaN until dropped at the end."""
        return wanted is None or not wanted.isdisjoint(names)

    frame = frame.assign(days_outside=_days_outside(frame) if asked("days_outside_window") else np.nan,
                         brier=scoring.brier(frame["p"], frame["o"]),
                         multicategory=_multicategory(frame) if asked("multicategory_brier") else np.nan)
    frame = frame.assign(**platform_scores.per_forecast(frame, relative=asked("time_relative")))
    frame["relative"] = _relative(frame)

    keyed = _group_keys(frame, by, tags)
    codes, keys = _sorted_codes(keyed, by)
    g = len(keys)
    in_state = {name: (keyed["state"] == name).to_numpy() for name in STATES}
    scored = in_state["scored"]
    sc, p, o = codes[scored], keyed["p"].to_numpy()[scored], keyed["o"].to_numpy()[scored]
    b = scoring.brier(p, o)

    def count(mask):
        return np.bincount(codes[mask], minlength=g)

    def mean(values):
        return scoring.group_mean(values, sc, g)

    brier = mean(b)
    low, high = scoring.bootstrap_mean_interval(b, sc, g, resamples=resamples, seed=seed)
    murphy = asked("reliability", "resolution", "uncertainty", "skill_vs_base_rate")
    rel, res, unc = scoring.murphy(p, o, sc, g) if murphy else (np.full(g, np.nan),) * 3
    best, worst = scoring.band_briers(p, o, keyed["band_low"].to_numpy(dtype=float)[scored], keyed["band_high"].to_numpy(dtype=float)[scored])
    n = count(scored)
    report = pd.DataFrame({
        by: keys,
        "n": n,
        "open": count(in_state["open"]),
        "voided": count(in_state["voided"]),
        "annulled": count(in_state["annulled"]),
        "brier": brier,
        "brier_low": low,
        "brier_high": high,
        "brier_0_2": mean(scoring.brier_two_sided(p, o)),
        "multicategory_brier": mean(keyed["multicategory"].to_numpy()[scored]),
        "log_score": mean(scoring.log_score(p, o)),
        "skill_vs_chance": scoring.skill(brier, scoring.CHANCE_BRIER),
        "skill_vs_base_rate": scoring.skill(brier, unc),
        "relative_brier": mean(keyed["relative"].to_numpy()[scored]),
        "n_relative": np.bincount(sc[~np.isnan(keyed["relative"].to_numpy()[scored])], minlength=g),
        **platform_scores.group_columns(keyed, codes, g, scored, by),
        "reliability": rel,
        "resolution": res,
        "uncertainty": unc,
        "right_side": mean(scoring.right_side(p, o)),
        "mean_p": mean(p),
        "observed": mean(o),
        "calibration_in_the_large": mean(p) - mean(o),
        "brier_best_in_band": mean(best),
        "brier_worst_in_band": mean(worst),
        "days_outside_window": mean(keyed["days_outside"].to_numpy()[scored]),
    })
    if by == "phrase":
        bands = keyed.groupby("key")[["band_low", "band_high"]].first().reindex(keys)
        report["band_low"], report["band_high"] = bands["band_low"].to_numpy(), bands["band_high"].to_numpy()
        report["observed_low"], report["observed_high"] = scoring.wilson_interval(np.bincount(sc, weights=o, minlength=g), n)
    report["note"] = np.where(n < min_n, TOO_FEW, "")
    ranked = leaderboard.rank(report, by, sort=sort, min_n=min_n)
    if wanted is None:
        return ranked
    if unknown := sorted(wanted - set(ranked.columns)):
        hint = close_matches(unknown[0], list(ranked.columns), n=1)
        advice = f"did you mean {hint[0]!r}?" if hint else f"choose among {', '.join(ranked.columns)}"
        raise InvalidInput(f"the report has no column {unknown[0]!r}; {advice}", field="columns")
    return ranked[[c for c in ranked.columns if c in wanted]]


def pairwise(db: str | None, *, forecaster: str | None = None, latest: bool = False, as_of: dt.date | None = None) -> pd.DataFrame:
    """Pairwise comparisons of forecasters on day-by-day Brier (see `platform_scores.pairwise_table`),
    with `forecaster` only theirs."""
    with reading(resolve_url(db)) as connection:
        if forecaster:
            _known(connection, "forecaster", forecaster)
        frame = forecast_frame(connection, as_of=as_of)
    table = platform_scores.pairwise_table(latest_only(frame) if latest else frame)
    return table[table["forecaster"] == forecaster].reset_index(drop=True) if forecaster else table


def calibration(db: str | None, *, forecaster: str | None = None, bins: int = 10, latest: bool = False,
                as_of: dt.date | None = None, by: str | None = None) -> pd.DataFrame:
    """Scored forecasts binned from 0 to 100% (never folded at 50%): forecast mean, observed
    frequency, counts and a Wilson interval per bin; empty bins are listed too. `by` ("year" or
    "quarter") stacks one table per period the forecasts were made in, under a `period` column."""
    if by not in (None, *PERIODS):
        raise ValueError(f"cannot split calibration by {by!r}; choose one of {', '.join(PERIODS)}")
    with reading(resolve_url(db)) as connection:
        if forecaster:
            _known(connection, "forecaster", forecaster)
        frame = forecast_frame(connection, as_of=as_of)
    if latest:
        frame = latest_only(frame)
    if forecaster:
        frame = frame[frame["forecaster"] == forecaster]
    scored = frame[frame["state"] == "scored"]
    if by is None:
        return calibration_table(scored, bins)
    made = scored["made_on"].str
    period = made[:4] if by == "year" else made[:4] + "-Q" + ((made[5:7].astype(int) - 1) // 3 + 1).astype(str)
    tables = [calibration_table(part, bins).assign(period=str(name)) for name, part in scored.groupby(period.to_numpy(), sort=True)]
    if not tables:
        return calibration_table(scored, bins).assign(period=pd.Series(dtype=object)).iloc[:0]
    stacked = pd.concat(tables, ignore_index=True)
    return stacked[["period", *(c for c in stacked.columns if c != "period")]]


def _known(connection, table: str, ident: str) -> None:
    """A filter naming no record is a NotFound with the closest ids, not an empty table."""
    ids = list(_read(connection, table, [("id", "id", "text")])["id"])
    if ident not in ids:
        from ledger.errors import NotFound

        raise NotFound.among(table, ident, ids)


def calibration_table(scored: pd.DataFrame, bins: int) -> pd.DataFrame:
    p, o = scored["p"].to_numpy(dtype=float), scored["o"].to_numpy(dtype=float)
    index = np.minimum(np.floor(p * bins + 1e-9).astype(int), bins - 1)  # 0.29 × 100 is 28.999…
    n = np.bincount(index, minlength=bins)
    happened = np.bincount(index, weights=o, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(index, weights=p, minlength=bins) / n
        observed = happened / n
    low, high = scoring.wilson_interval(happened, n)
    edges = np.linspace(0, 100, bins + 1)
    return pd.DataFrame({
        "bin": [f"{a:.0f}–{b:.0f}%" for a, b in zip(edges[:-1], edges[1:])],
        "n": n,
        "happened": happened.astype(int),
        "count": [f"{int(h)} of {k} happened" for h, k in zip(happened, n)],
        "mean_forecast": mean_p,
        "observed": observed,
        "observed_low": low,
        "observed_high": high,
    })


def plot_calibration(table: pd.DataFrame, title: str) -> bytes:
    """A calibration chart as PNG bytes (written whole by the caller): the diagonal, each bin's
    observed frequency against its mean forecast with its Wilson interval, and the count beside
    each point."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    filled = table[table["n"] > 0]
    fig, ax = plt.subplots(figsize=(6.4, 6.4), dpi=120)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", label="perfect calibration")
    errors = [filled["observed"] - filled["observed_low"], filled["observed_high"] - filled["observed"]]
    sizes = 30 + 250 * filled["n"] / max(filled["n"].max(), 1)
    ax.errorbar(filled["mean_forecast"], filled["observed"], yerr=errors, fmt="none", ecolor="tab:blue", alpha=0.6, capsize=3)
    ax.scatter(filled["mean_forecast"], filled["observed"], s=sizes, color="tab:blue", zorder=3, label="observed frequency (95% Wilson)")
    for x, y, h, k in zip(filled["mean_forecast"], filled["observed"], filled["happened"], filled["n"]):
        ax.annotate(f"{h} of {k}", (x, y), textcoords="offset points", xytext=(9, 6), fontsize=8)
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), xlabel="forecast probability (bin mean)", ylabel="share that happened", title=title)
    ax.set_xticks(np.linspace(0, 1, 11))
    ax.set_yticks(np.linspace(0, 1, 11))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


# The report's columns the terminal table shows as they are, and those it reads (`scores(columns=…)`).
TABLE_SHOWN = frozenset({"rank", "n", "open", "brier", "time_brier", "peer", "baseline", "relative_skill", "log_score",
                         "skill_vs_chance", "relative_brier", "calibration_in_the_large", "note"})
TABLE_COLUMNS = TABLE_SHOWN | {"voided", "annulled", "brier_low", "brier_high", "brier_best_in_band", "brier_worst_in_band"}


def table_rows(report: pd.DataFrame, by: str, sort: str | None = None) -> list[dict]:
    """The leaderboard condensed for reading in a terminal (the `sort` column shown when it is not
    among them); JSON and CSV carry every column."""
    def num(value, digits=3):
        return "" if pd.isna(value) else f"{value:.{digits}f}"

    shown = {by, *TABLE_SHOWN}
    used = {by, *TABLE_COLUMNS, *([sort] if sort else [])}
    columns = {name: report[name].tolist() for name in used}  # only these of the report's columns
    rows = []
    for row in (dict(zip(columns, values)) for values in zip(*columns.values())):
        rows.append({
            "rank": "" if pd.isna(row["rank"]) else int(row["rank"]), by: row[by],
            # the column ranked by comes first, so a narrow terminal never leaves it out
            **({sort: row[sort] if isinstance(row[sort], str) else num(row[sort])} if sort and sort not in shown else {}),
            "n": row["n"], "open": row["open"],
            "void": row["voided"] + row["annulled"],
            "brier (95% CI)": "" if pd.isna(row["brier"]) else f"{row['brier']:.3f} ({row['brier_low']:.3f}–{row['brier_high']:.3f})",
            "day brier": num(row["time_brier"]), "peer": num(row["peer"], 1), "baseline": num(row["baseline"], 1),
            "rel. skill": num(row["relative_skill"], 2), "log": num(row["log_score"]), "skill": num(row["skill_vs_chance"], 2),
            "relative": num(row["relative_brier"]), "calibration": num(row["calibration_in_the_large"], 2),
            "band range": "" if pd.isna(row["brier"]) else f"{row['brier_best_in_band']:.3f}–{row['brier_worst_in_band']:.3f}",
            "note": row["note"],
        })
    return rows


def as_rows(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as plain dicts with JSON-friendly values (NaN becomes None)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()} for row in clean.to_dict(orient="records")]
