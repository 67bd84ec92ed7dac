"""Accuracy reports as pandas DataFrames: the reporting layer, and the only place pandas is imported.

`forecast_frame` reads every forecast with its question's current outcome in one query and reduces
each to (p, o); `scores` and `calibration` group and score it with the pure functions in `scoring`.
Notebook users call them directly with a database URL or an open session:

    from ledger import reports
    reports.scores("sqlite:///ledger.db", by="forecaster")
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import literal_column, select
from sqlmodel import Session

from . import scoring
from .models import Forecast, Question, QuestionTag, Source
from .resolution import VOID_OUTCOMES, current_resolutions

GROUPINGS = ("forecaster", "source", "publisher", "tag", "phrase", "question")
DEFAULT_MIN_N = 5
TOO_FEW = "too few resolved forecasts to judge"


@contextmanager
def _session(db: Session | str):
    if isinstance(db, Session):
        yield db
        return
    from .database import resolve_url, session_for

    with session_for(resolve_url(db)) as session:
        yield session


_DATES = ("made_on", "window_from", "window_to", "occurred_on")


def _read(connection, query) -> pd.DataFrame:
    """A query's rows as a DataFrame, read with the driver's own cursor in chunks: building an ORM
    row per forecast would cost more than the whole report, and chunks keep the peak memory down."""
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}).string
    names = [c.name for c in query.selected_columns]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        parts = []
        while rows := cursor.fetchmany(200_000):
            parts.append(pd.DataFrame(rows, columns=names))
    finally:
        cursor.close()
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
    for column in frame.columns.intersection(_DATES):  # SQLite returns ISO text, PostgreSQL date objects
        present = frame[column].notna()
        first = frame[column].first_valid_index()
        if first is not None and isinstance(frame.at[first, column], dt.date):
            frame.loc[present, column] = frame.loc[present, column].map(dt.date.isoformat)
    return frame


def forecast_frame(db: Session | str, *, as_of: dt.date | None = None, by: str | None = None, dated: bool = True) -> pd.DataFrame:
    """One row per forecast: who, p, the band it came from, its state and o (NaN unless scored),
    plus the column a `by` grouping needs; `dated=False` leaves out the id and dates that only
    --latest and --as-of use.

    With `as_of`, the ledger as it stood on that date: forecasts made by then, outcomes that had
    happened by then. The forecasts are one plain scan; each question's kind and current outcome
    are read separately (one row per question) and mapped on, which is cheaper than joining them
    to every forecast in SQL.
    """
    extra = {"source": [Forecast.source_id.label("source")], "publisher": [Forecast.source_id.label("source")],
             "phrase": [Forecast.phrase, Forecast.scale]}.get(by or "", [])
    if dated or as_of is not None:
        extra += [Forecast.id, Forecast.made_on]
    query = select(
        Forecast.forecaster_id.label("forecaster"), Forecast.question_id.label("question"),
        Forecast.probability.label("p"), Forecast.band_low, Forecast.band_high,
        Forecast.window_from, Forecast.window_to, Forecast.option, Forecast.voided_reason.is_not(None).label("voided"),
        Forecast.distribution, *extra,
    )
    if as_of is not None:
        query = query.where(Forecast.made_on <= literal_column(f"'{as_of.isoformat()}'"))
    current = current_resolutions()
    with _session(db) as session:
        connection = session.connection()
        frame = _read(connection, query)
        questions_table = _read(connection, select(Question.id, Question.kind, Question.options)).set_index("id")
        kinds = questions_table["kind"]
        outcomes = _read(connection, select(current.c.question_id, current.c.outcome, current.c.occurred_on)).set_index("question_id")
        if by == "publisher":
            publishers = _read(connection, select(Source.id, Source.publisher)).set_index("id")["publisher"]
            frame["publisher"] = frame["source"].map(publishers)
    if as_of is not None:
        outcomes = outcomes[outcomes["occurred_on"].isna() | (outcomes["occurred_on"] <= as_of.isoformat())]
    question, questions = pd.factorize(frame["question"])
    kind = kinds.reindex(questions).to_numpy(dtype=object)
    settled = outcomes.reindex(questions)
    outcome = settled["outcome"].to_numpy(dtype=object)
    frame["question_code"] = question
    distribution = frame["distribution"].to_numpy(dtype=object, copy=True)
    given = np.flatnonzero(frame["distribution"].notna().to_numpy())  # rare: only categorical forecasts with a distribution
    distribution[given] = [_json(value) for value in distribution[given]]
    frame["distribution"] = distribution
    options = np.full(len(frame), None, dtype=object)  # the question's options, only where a distribution needs them
    options[given] = questions_table["options"].reindex(questions).map(_json).to_numpy(dtype=object)[question[given]]
    frame["options"] = options
    frame["kind"] = kind[question]
    frame["outcome"] = outcome[question]
    if dated or as_of is not None:
        frame["occurred_on"] = settled["occurred_on"].to_numpy(dtype=object)[question]
    frame["p"] = frame["p"].astype(float)
    frame["o"] = scoring.event_outcomes(question, kind, outcome, frame["window_from"], frame["window_to"], frame["option"])
    void_question = np.isin(outcome.astype(str), VOID_OUTCOMES)[question]
    frame["state"] = np.select([frame["voided"].astype(bool), void_question, frame["o"].notna()], ["voided", "annulled", "scored"], "open")
    frame.loc[frame["state"] != "scored", "o"] = np.nan
    return frame


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
        tagged = frame.merge(tags, on="question", how="left")
        return tagged.assign(key=tagged["tag"].fillna("(untagged)"))
    if by == "phrase":
        label = frame["phrase"].str.lower() + " (" + frame["scale"].fillna("") + ")"
        return frame.assign(key=label.fillna("(stated number)"))
    return frame.assign(key=frame[by].fillna("(none)"))


def _relative(frame: pd.DataFrame) -> np.ndarray:
    """Each scored forecast's Brier minus the median of the other forecasters' (mean) Brier on its question."""
    scored = np.flatnonzero((frame["state"] == "scored").to_numpy())
    forecaster, _ = pd.factorize(frame["forecaster"].to_numpy()[scored])
    question = frame["question_code"].to_numpy()[scored]
    pairs, pair_of_row = np.unique(question.astype(np.int64) * (forecaster.max(initial=0) + 1) + forecaster, return_inverse=True)
    pair_of_row = pair_of_row.ravel()
    brier = frame["brier"].to_numpy()[scored]
    pair_brier = np.bincount(pair_of_row, weights=brier) / np.bincount(pair_of_row)
    others = scoring.median_of_others(pair_brier, pairs // (forecaster.max(initial=0) + 1))
    relative = np.full(len(frame), np.nan)
    relative[scored] = brier - others[pair_of_row]
    return relative


def _days_outside(frame: pd.DataFrame) -> np.ndarray:
    """For scored date forecasts, days between the actual date and the window (0 inside); else NaN."""
    dated = np.flatnonzero(((frame["kind"] == "date") & (frame["state"] == "scored")).to_numpy())
    days = np.full(len(frame), np.nan)
    if len(dated):
        day = {c: frame[c].to_numpy()[dated].astype("datetime64[D]") for c in ("outcome", "window_from", "window_to")}
        before = np.maximum((day["window_from"] - day["outcome"]).astype(int), 0)
        after = np.maximum((day["outcome"] - day["window_to"]).astype(int), 0)
        days[dated] = before + after
    return days


def scores(db: Session | str, by: str = "forecaster", *, min_n: int = DEFAULT_MIN_N, latest: bool = False,
           as_of: dt.date | None = None, resamples: int = 1000, seed: int = 0,
           progress: Callable[..., None] | None = None) -> pd.DataFrame:
    """One row per group: counts, Brier (with a bootstrap 95% interval), log score, skill scores,
    relative Brier, Murphy terms, calibration-in-the-large and the verbal-band sensitivity.
    `progress(steps, label)` is told as reading and scoring finish."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    with _session(db) as session:
        frame = forecast_frame(session, as_of=as_of, by=by, dated=latest)
        tags = None
        if by == "tag":
            tags = pd.DataFrame(session.execute(select(QuestionTag.question_id.label("question"), QuestionTag.tag)).all(),
                                columns=["question", "tag"])
    if progress:
        progress(1, "scoring")
    report = summarise(frame, by, tags=tags, min_n=min_n, latest=latest, resamples=resamples, seed=seed)
    if progress:
        progress(1, "printing")
    return report


def summarise(frame: pd.DataFrame, by: str, *, tags: pd.DataFrame | None = None, min_n: int = DEFAULT_MIN_N,
              latest: bool = False, resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The report table for a forecast frame (see `scores`)."""
    if latest:
        frame = latest_only(frame)
    frame = frame.assign(days_outside=_days_outside(frame), brier=scoring.brier(frame["p"], frame["o"]),
                         multicategory=_multicategory(frame))
    frame["relative"] = _relative(frame)

    keyed = _group_keys(frame, by, tags)
    codes, keys = pd.factorize(keyed["key"], sort=True)
    g = len(keys)
    state = keyed["state"].to_numpy()
    scored = state == "scored"
    sc, p, o = codes[scored], keyed["p"].to_numpy()[scored], keyed["o"].to_numpy()[scored]
    b = scoring.brier(p, o)

    def count(mask):
        return np.bincount(codes[mask], minlength=g)

    def mean(values):
        return scoring.group_mean(values, sc, g)

    brier = mean(b)
    low, high = scoring.bootstrap_mean_interval(b, sc, g, resamples=resamples, seed=seed)
    rel, res, unc = scoring.murphy(p, o, sc, g)
    best, worst = scoring.band_briers(p, o, keyed["band_low"].to_numpy(dtype=float)[scored], keyed["band_high"].to_numpy(dtype=float)[scored])
    n = count(scored)
    report = pd.DataFrame({
        by: keys,
        "n": n,
        "open": count(state == "open"),
        "voided": count(state == "voided"),
        "annulled": count(state == "annulled"),
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
    return report


def calibration(db: Session | str, *, forecaster: str | None = None, bins: int = 10, latest: bool = False,
                as_of: dt.date | None = None) -> pd.DataFrame:
    """Scored forecasts binned from 0 to 100% (never folded at 50%): forecast mean, observed
    frequency, counts and a Wilson interval per bin; empty bins are listed too."""
    frame = forecast_frame(db, as_of=as_of)
    if latest:
        frame = latest_only(frame)
    if forecaster:
        frame = frame[frame["forecaster"] == forecaster]
    return calibration_table(frame[frame["state"] == "scored"], bins)


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


def plot_calibration(table: pd.DataFrame, path, title: str) -> None:
    """A calibration chart: the diagonal, each bin's observed frequency against its mean forecast with
    its Wilson interval, and the count beside each point."""
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
    fig.savefig(path)
    plt.close(fig)


def table_rows(report: pd.DataFrame, by: str) -> list[dict]:
    """The report condensed for reading in a terminal; JSON and CSV carry every column."""
    def num(value, digits=3):
        return "" if pd.isna(value) else f"{value:.{digits}f}"

    rows = []
    for r in report.itertuples(index=False):
        row = r._asdict()
        rows.append({
            by: row[by], "n": row["n"], "open": row["open"], "void": row["voided"] + row["annulled"],
            "brier (95% CI)": "" if pd.isna(row["brier"]) else f"{row['brier']:.3f} ({row['brier_low']:.3f}–{row['brier_high']:.3f})",
            "log": num(row["log_score"]), "skill": num(row["skill_vs_chance"], 2),
            "relative": num(row["relative_brier"]), "calibration": num(row["calibration_in_the_large"], 2),
            "band range": "" if pd.isna(row["brier"]) else f"{row['brier_best_in_band']:.3f}–{row['brier_worst_in_band']:.3f}",
            "note": row["note"],
        })
    return rows


def as_rows(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as plain dicts with JSON-friendly values (NaN becomes None)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()} for row in clean.to_dict(orient="records")]
