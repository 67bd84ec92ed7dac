"""What the report page says, read from the ledger as plain values for the template.

The leaderboard is `reports.scores` by forecaster — the same rows as `ledger report --format json`,
so any column the scoring adds (baseline, peer, time-averaged scores) appears on the page when it is
there. Every forecast, question, source and resolution is read with plain SQL through
`database.reading` (the standard sqlite3 module for a SQLite file), like the report itself.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ledger.db.engine import resolve_url
from ledger.db.queries import basis, claim_text
from ledger.db.session import reading
from ledger.page import charts
from ledger.schema.probability import SCALES, Band
from ledger.schema.vocabulary import VOID_OUTCOMES
from ledger.scoring import reports

CROWD_KIND = "aggregate"  # forecasters the ledger computes from the others: the crowd line, never ranked
CALIBRATION_BINS = 10
# Above this many forecasts, each closed section's HTML is carried as the text of a <noscript> (which
# the browser does not parse while scripts run) and built when the section is opened: a page of
# 100,000 forecasts then opens in a second or two. A browser without scripts shows it as it stands.
LAZY_ABOVE = 2_000


@dataclass(frozen=True)
class Column:
    """A leaderboard column: a column of the scores frame, how to show it, and which way is better."""

    key: str
    label: str
    help: str
    digits: int | None = 3  # None: a count
    better: str | None = "lower"


CORE_COLUMNS = (
    Column("brier", "Brier (95% interval)", "mean Brier score: 0 perfect, 0.25 for always saying 50%; bootstrap interval", 3),
    Column("n", "scored", "forecasts scored (on questions that have resolved)", None, None),
    Column("open", "open", "forecasts on questions still open", None, None),
    Column("void", "void", "voided forecasts and forecasts on annulled questions", None, None),
    Column("log_score", "log", "mean log score: 0 perfect, higher is better", 3, "higher"),
    Column("skill_vs_chance", "skill", "Brier skill against always saying 50%: 1 perfect, 0 no better than chance", 2, "higher"),
    Column("relative_brier", "relative", "Brier minus the median of the other forecasters on the same questions: negative beats the crowd", 3),
)
# Platform scores the scoring may add to the frame (docs/scoring.md); each is shown only when present.
PLATFORM_COLUMNS = (
    Column("baseline", "baseline", "Metaculus-style baseline score: positive beats a uniform forecast", 1, "higher"),
    Column("baseline_sum", "baseline (sum)", "baseline score summed over questions", 1, "higher"),
    Column("peer", "peer", "Metaculus-style peer score: positive beats the other forecasters", 1, "higher"),
    Column("peer_sum", "peer (sum)", "peer score summed over questions", 1, "higher"),
    Column("time_brier", "time-averaged Brier", "Brier averaged over the days each question was open", 3),
    Column("time_relative", "time-averaged relative", "relative Brier averaged over the days each question was open", 3),
    Column("relative_skill", "relative skill", "geometric mean of the ratios of time-averaged Brier to each other forecaster's on shared questions: "
           "below 1 is better", 2),
)

FORECAST_COLUMNS = [("id", "id", "int"), ("quote", "quote", "text"), ("claim", "claim", "text"), ("phrase", "phrase", "text"),
                    ("scale", "scale", "text"), ("source_id", "source_id", "text"), ("condition", "condition", "text"),
                    ("voided_reason", "voided_reason", "text")]
FORECASTER_COLUMNS = [("id", "id", "text"), ("name", "name", "text"), ("affiliation", "affiliation", "text"), ("kind", "kind", "text")]
QUESTION_COLUMNS = [("id", "id", "text"), ("text", "text", "text"), ("kind", "kind", "text"), ("criteria", "criteria", "text"),
                    ("resolve_by", "resolve_by", "date")]
SOURCE_COLUMNS = [("id", "id", "text"), ("title", "title", "text"), ("publisher", "publisher", "text"), ("url", "url", "text"),
                  ("published_on", "published_on", "date")]
RESOLUTION_COLUMNS = [("question_id", "question_id", "text"), ("sequence", "sequence", "int"), ("outcome", "outcome", "text"),
                      ("occurred_on", "occurred_on", "date"), ("evidence", "evidence", "text"), ("evidence_quote", "evidence_quote", "text"),
                      ("note", "note", "text"), ("recorded_at", "recorded_at", "date")]


def gather(db: str | None, *, min_n: int = reports.DEFAULT_MIN_N, latest: bool = False, as_of: dt.date | None = None,
           today: dt.date | None = None) -> dict:
    """Everything the page shows, as plain values: the summary, the leaderboard, the calibration
    charts, each forecaster's forecasts and each question's history and timeline."""
    url = resolve_url(db)
    today = today or dt.date.today()
    board = reports.scores(url, "forecaster", min_n=min_n, latest=latest, as_of=as_of)
    with reading(url) as connection:
        frame = reports.forecast_frame(connection, as_of=as_of)
        details = reports._read(connection, "forecast", FORECAST_COLUMNS).set_index("id")
        people = reports._read(connection, "forecaster", FORECASTER_COLUMNS).set_index("id")
        questions = reports._read(connection, "question", QUESTION_COLUMNS).set_index("id")
        sources = reports._read(connection, "source", SOURCE_COLUMNS).set_index("id")
        history = reports._read(connection, "resolution", RESOLUTION_COLUMNS)
    if as_of is not None:
        history = history[history["occurred_on"].isna() | (history["occurred_on"] <= as_of.isoformat())]
    frame = _forecasts(frame, details, people, latest)
    source_of = {str(sid): _source(row) for sid, row in sources.to_dict("index").items()}
    question_info: dict[str, dict] = {str(qid): row for qid, row in questions.to_dict("index").items()}
    columns = list(CORE_COLUMNS) + [c for c in PLATFORM_COLUMNS if c.key in board.columns]
    ranked = _leaderboard(board, {str(fid): row for fid, row in people.to_dict("index").items()}, columns, min_n)
    question_of = {qid: i for i, qid in enumerate(sorted(frame["question"].unique()))}
    by_forecaster: dict[str, list] = {}
    by_question: dict[str, list] = {}
    f: Any
    for f in frame.itertuples(index=False):  # one pass: itertuples on each group would cost far more
        by_forecaster.setdefault(f.forecaster, []).append(f)
        by_question.setdefault(f.question, []).append(f)
    trails: dict[str, list] = {}
    r: Any
    for r in history.sort_values(["question_id", "sequence"]).itertuples(index=False):
        trails.setdefault(r.question_id, []).append(r)
    scored = frame[frame["state"] == "scored"]
    judged = dict(list(scored.groupby("forecaster", sort=False)))
    for row in ranked:
        row["forecasts"] = [_forecast_row(f, question_info, source_of, question_of) for f in by_forecaster[row["id"]]]
        row["calibration"] = _calibration(judged[row["id"]]) if row["n"] >= min_n else None
    humans = frame[~frame["crowd"]]
    anchors = {row["id"]: row["anchor"] for row in ranked}
    return {
        "as_of": as_of, "today": today, "min_n": min_n, "latest": latest, "lazy": len(frame) > LAZY_ABOVE,
        "summary": {
            "forecasts": len(humans), "forecasters": humans["forecaster"].nunique(), "questions": humans["question"].nunique(),
            "sources": humans["source_id"].nunique(), "scored": int((humans["state"] == "scored").sum()),
            "open": int((humans["state"] == "open").sum()), "void": int(humans["state"].isin(["voided", "annulled"]).sum()),
            "crowd": sorted(frame.loc[frame["crowd"], "name"].unique()),
        },
        "columns": columns,
        "judged": [r for r in ranked if not r["too_few"]],
        "too_few": [r for r in ranked if r["too_few"]],
        "forecasters": ranked,
        "calibration": _calibration(scored[~scored["crowd"]]) if (humans["state"] == "scored").any() else None,
        "questions": [_question(qid, anchor, by_question[qid], question_info[qid], trails.get(qid, []), source_of, anchors, as_of or today)
                      for qid, anchor in question_of.items()],
        "scales": _scales_used(humans),
    }


def _forecasts(frame: pd.DataFrame, details: pd.DataFrame, people: pd.DataFrame, latest: bool) -> pd.DataFrame:
    """The report's forecast frame with each forecast's words, source, forecaster, Brier and
    whether --latest left it out (an earlier forecast the same forecaster revised)."""
    frame = frame.join(details, on="id")
    frame["probability"] = frame["p"]  # the name `basis` reads
    frame["name"] = frame["forecaster"].map(people["name"])
    frame["crowd"] = (frame["forecaster"].map(people["kind"]) == CROWD_KIND).to_numpy()
    frame["brier"] = (frame["p"] - frame["o"]) ** 2
    frame["superseded"] = ~frame["id"].isin(reports.latest_only(frame)["id"]) if latest else False
    return frame.sort_values(["made_on", "id"])


def _number(value, digits: int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{int(value):,}" if digits is None else f"{value:.{digits}f}"


def _cells(row: dict, columns: list[Column]) -> list[dict]:
    """A leaderboard row's cells: the text shown and the value a click on the header sorts by."""
    cells = []
    for column in columns:
        value = row["voided"] + row["annulled"] if column.key == "void" else row.get(column.key)
        text = _number(value, column.digits)
        if column.key == "brier" and text:
            text = f"{text} ({row['brier_low']:.3f}–{row['brier_high']:.3f})"
        cells.append({"text": text, "sort": "" if value is None or text == "" else repr(float(value))})
    return cells


def _leaderboard(board: pd.DataFrame, people: dict[str, dict], columns: list[Column], min_n: int) -> list[dict]:
    """Forecasters ranked by Brier among those with enough scored forecasts (the crowd shown
    beside them, unranked), then those too few to judge, by name."""
    rows = []
    for row in reports.as_rows(board):
        person = people[row["forecaster"]]
        crowd = person["kind"] == CROWD_KIND
        rows.append({
            "id": row["forecaster"], "name": person["name"], "affiliation": person["affiliation"], "kind": person["kind"],
            "crowd": crowd, "n": row["n"], "open": row["open"], "too_few": row["n"] < min_n, "rank": None,
            "brier": row["brier"], "brier_low": row["brier_low"], "brier_high": row["brier_high"], "cells": _cells(row, columns),
        })
    rows.sort(key=lambda r: (r["too_few"], r["brier"] if r["brier"] is not None else math.inf, r["name"].lower()))
    rank = 0
    for i, row in enumerate(rows):
        row["anchor"] = f"f{i}"
        if not row["too_few"] and not row["crowd"]:
            rank += 1
            row["rank"] = rank
    return rows


def _calibration(scored: pd.DataFrame) -> charts.Calibration:
    table = reports.calibration_table(scored, CALIBRATION_BINS)
    return charts.calibration(table.to_dict(orient="records"))


def _web_address(text: str | None) -> str | None:
    """`text` when it is a web address, the only kind the page links to (a javascript: or data:
    address in a link would run or show whatever it holds); None otherwise."""
    return text if isinstance(text, str) and text.lower().startswith(("https://", "http://")) else None


def _source(row: dict) -> dict:
    """A source as the page cites it: a link when it has a web address, its title and publisher."""
    return {"title": row["title"], "publisher": row["publisher"], "url": _web_address(row["url"]), "published_on": row["published_on"]}


def _outcome(f) -> tuple[str, str]:
    """What happened to a forecast, in words, and the class the page styles it with."""
    if f.state == "scored":
        return ("happened", "yes") if f.o == 1 else ("did not happen", "no")
    if f.state == "voided":
        return f"void: {f.voided_reason}", "void"
    if f.state == "annulled":
        return f"void: question {f.outcome}", "void"
    return "open", "open"


def _claim(f) -> str | None:
    """What the forecast claims about its question, or None for a plain yes on a binary question."""
    claim = claim_text(f)
    return None if claim == "yes" else claim


def _forecast_row(f, questions: dict[str, dict], source_of: dict, question_of: dict) -> dict:
    word, style = _outcome(f)
    if f.superseded:
        word, style = f"{word} (revised later: not scored with --latest)", "void"
    return {
        "id": f.id, "made_on": f.made_on, "question": f.question, "anchor": f"q{question_of[f.question]}",
        "question_text": questions[f.question]["text"], "claim": _claim(f), "quote": f.quote, "basis": basis(f),
        "p": f"{f.p:.0%}", "outcome": word, "style": style, "condition": f.condition,
        "brier": "" if math.isnan(f.brier) or f.superseded else f"{f.brier:.3f}",
        "source": source_of.get(f.source_id) if isinstance(f.source_id, str) else None,
    }


def _question(qid: str, anchor: int, forecasts: list, info: dict, history: list,
              source_of: dict, anchors: dict[str, str], on: dt.date) -> dict:
    """A question with its resolution history (each entry's evidence cited as a source when it names
    one) and the timeline of its forecasts, the crowd's included; `on` is the day its status is
    judged (overdue or not)."""
    trail = [{
        "sequence": r.sequence, "outcome": r.outcome, "on": r.occurred_on, "evidence": r.evidence, "quote": r.evidence_quote,
        "note": r.note, "recorded": str(r.recorded_at)[:16].replace("T", " "), "correction": r.sequence > 1,
        "source": source_of.get(r.evidence) if r.evidence else None,
        "link": _web_address(r.evidence),
    } for r in history]
    current = trail[-1] if trail else None
    if current is None:
        status = "overdue" if info["resolve_by"] and info["resolve_by"] < on.isoformat() else "open"
    else:
        status = current["outcome"] if current["outcome"] in VOID_OUTCOMES else f"resolved: {current['outcome']}"
    settled_on = None
    if current is not None:
        day = current["outcome"] if info["kind"] == "date" else current["on"]
        settled_on = dt.date.fromisoformat(day) if day else None
    points = [_point(f, anchors) for f in forecasts]
    return {
        "id": qid, "anchor": f"q{anchor}", "text": info["text"], "kind": info["kind"], "criteria": info["criteria"],
        "resolve_by": info["resolve_by"], "status": status, "history": trail, "n": len(points),
        "forecasts": points,
        "timeline": charts.timeline(points, settled_on, current["outcome"] if current else None,
                                    dt.date.fromisoformat(info["resolve_by"]) if info["resolve_by"] else None),
    }


def _point(f, anchors: dict[str, str]) -> dict:
    """A forecast as a question's timeline and its list show it."""
    claim = _claim(f)
    word, style = _outcome(f)
    return {
        "made_on": dt.date.fromisoformat(f.made_on), "p": f.p, "p_text": f"{f.p:.0%}", "forecaster": f.forecaster, "name": f.name,
        "crowd": f.crowd, "state": f.state, "claim": claim, "outcome": word, "style": style, "forecaster_anchor": anchors.get(f.forecaster),
    }


def _scales_used(forecasts: pd.DataFrame) -> dict:
    """How the words became numbers: each phrase used, its scale and band, and how often."""
    worded = forecasts[forecasts["phrase"].notna()]
    phrases = (worded.assign(phrase=worded["phrase"].str.lower())
               .groupby(["scale", "phrase", "band_low", "band_high"], sort=True).size().reset_index(name="n"))
    rows = [{"phrase": r["phrase"], "scale": r["scale"], "band": f"{r['band_low']:.0%}–{r['band_high']:.0%}",
             "point": f"{Band(r['band_low'], r['band_high']).point:.1%}".replace(".0%", "%"), "n": r["n"]}
            for r in phrases.to_dict(orient="records")]
    used = sorted(set(phrases["scale"]))
    return {"phrases": rows, "stated": int(np.sum(forecasts["phrase"].isna())),
            "scales": [{"name": name, "title": SCALES[name].title if name in SCALES else name} for name in used]}
