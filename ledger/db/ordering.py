"""No forecast is made after its question's outcome: such a forecast knows what it forecasts, and
scoring it would reward hindsight.

An import (or `add`, or `resolve`) is checked as a whole against the ledger: each question that gets
a new resolution must be dated on or after every forecast on it (the input's and the ledger's), and
each new forecast on a question the ledger has already settled must be made on or before the
outcome. Annulled and ambiguous questions are never scored, so they are not checked. Dates are
compared as ISO text, which orders as the dates do, so a CSV's columns are compared as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ledger.errors import Location, Problem
from ledger.schema.tables import Forecast, Resolution
from ledger.schema.vocabulary import VOID_OUTCOMES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ledger.db.staging import Staging

_CHUNK = 2000  # ids per IN (…) query
_NO_DAY = -(2**63)  # no forecast on the question yet: the lowest int64, which is also NaT's (no date is no day)


@dataclass
class Settled:
    """A question's outcome as this input leaves it."""

    on: str  # ISO date
    outcome: str
    where: Location | None


@dataclass
class Order:
    """The dates an input brings: its forecasts' made_on, and the outcomes it records."""

    made: list[tuple[str, str, Location | None]] = field(default_factory=list)  # (question, made_on, where) of records
    # a CSV's questions (an index that only grows at its end) and each one's latest made_on as a day number
    made_columns: tuple[pd.Index, np.ndarray] | None = None
    settled: dict[str, Settled | None] = field(default_factory=dict)  # None: annulled or ambiguous now

    def forecast(self, question: str, made_on: Any, where: Location | None) -> None:
        self.made.append((question, made_on.isoformat(), where))

    def forecast_columns(self, questions: pd.Index, positions: np.ndarray, made_on: list[str]) -> None:
        """A CSV chunk's made_on, kept as each question's latest day number: its rows' `positions` in
        `questions` (-1: a question there is not, reported already) are where the days go. A max over
        text would compare in Python, row by row; a max per chunk, kept until the end, would hold a
        copy of each id for every chunk that names it (at 1M rows, 845,000 ids and 60 MB into the write)."""
        import numpy as np

        days = np.array(made_on, dtype="datetime64[D]").astype(np.int64)
        latest = self.made_columns[1] if self.made_columns is not None else np.zeros(0, np.int64)
        if len(latest) < len(questions):  # grown: a new array only then, not one per chunk
            latest = np.r_[latest, np.full(len(questions) - len(latest), _NO_DAY)]
        known = positions >= 0
        np.maximum.at(latest, positions[known], days[known])
        self.made_columns = (questions, latest)

    def resolution(self, question: str, outcome: str, on: Any, where: Location | None) -> None:
        self.settled[question] = None if outcome in VOID_OUTCOMES else Settled(on.isoformat(), outcome, where)

    def problems(self, session: Session, staging: Staging | None, name: str, has_forecasts: bool) -> list[Problem]:
        """Every resolution dated before a forecast on its question, and every forecast made after
        its question's outcome in the ledger."""
        latest = self._latest_made()
        found = []
        resolved = [q for q, s in self.settled.items() if s is not None]
        query = select(Forecast.question_id, func.max(Forecast.made_on))
        ledger_latest = {q: _iso(d) for q, d in _grouped(session, query, Forecast.question_id, resolved)} if resolved and has_forecasts else {}
        for question in resolved:
            settled = self.settled[question]
            assert settled is not None
            made, where = max([latest.get(question, ("", None)), (ledger_latest.get(question, ""), "the ledger")], key=lambda m: m[0])
            if made > settled.on:
                seen = f"line {where.line}" if isinstance(where, Location) else where or "this file"
                found.append(Problem(settled.where, f"the outcome of question {question!r} is dated {settled.on}, before a forecast on it made "
                                     f"on {made} ({seen}); a forecast cannot be made after its outcome: check the resolution's date "
                                     "(the day the outcome happened) and the forecast's made_on", "occurred_on"))
        current = self._ledger_outcomes(session, [q for q in latest if q not in self.settled])
        late = {q: s for q, s in current.items() if latest[q][0] > s.on}
        if late:
            found += [Problem(where, _after(question, made, late[question]), "made_on")
                      for question, made, where in [*self.made, *_staged(staging, name, late)] if question in late and made > late[question].on]
        return found

    def _latest_made(self) -> dict[str, tuple[str, Location | None]]:
        """Each question's latest made_on in this input, with where it is (a CSV's: None, found when needed)."""
        latest: dict[str, tuple[str, Location | None]] = {}
        for question, made, where in self.made:
            if made > latest.get(question, ("",))[0]:
                latest[question] = (made, where)
        if self.made_columns is not None:  # a CSV's: numpy is loaded already
            import numpy as np

            questions, days = self.made_columns
            named = np.flatnonzero(days != _NO_DAY)
            for question, made in zip(questions[named], days[named].astype("datetime64[D]").astype(str)):
                if made > latest.get(question, ("",))[0]:
                    latest[question] = (made, None)
        return latest

    @staticmethod
    def _ledger_outcomes(session: Session, questions: list[str]) -> dict[str, Settled]:
        """The current, scored outcome of those questions the ledger has settled: each one's
        resolution of the highest sequence (read by the question's index, not by grouping the table)."""
        if not questions or session.exec(select(Resolution.id).limit(1)).first() is None:
            return {}
        current: dict[str, tuple[int, str, Any]] = {}
        query = select(Resolution.question_id, Resolution.sequence, Resolution.outcome, col(Resolution.occurred_on))
        for question, sequence, outcome, on in _grouped(session, query, Resolution.question_id, questions, rows=True):
            if sequence > current.get(question, (0,))[0]:
                current[question] = (sequence, outcome, on)
        return {q: Settled(_iso(on), outcome, None) for q, (_, outcome, on) in current.items() if on is not None and outcome not in VOID_OUTCOMES}


def _iso(day: Any) -> str:
    return day if isinstance(day, str) else day.isoformat()


def _after(question: str, made: str, settled: Settled) -> str:
    return (f"the forecast is made on {made}, after question {question!r} was settled ({settled.outcome} on {settled.on}); a forecast cannot be made "
            "after its outcome: check made_on, or correct the question's resolution if its date is wrong")


def _grouped(session: Session, query, column, values: list[str], *, rows: bool = False) -> Iterator[tuple]:
    """`query` restricted to `column` IN values, a chunk of values at a time (grouped by the column unless `rows`)."""
    for start in range(0, len(values), _CHUNK):
        part = query.where(col(column).in_(values[start:start + _CHUNK]))
        yield from session.execute(part if rows else part.group_by(column))


def _staged(staging: Staging | None, name: str, late: dict[str, Settled]) -> Iterable[tuple[str, str, Location]]:
    """The staged CSV rows on `late`'s questions, with their made_on and line (only read when some are late)."""
    if staging is None:
        return
    import numpy as np
    import pandas as pd

    from ledger.db.staging import STAGED

    question_at, made_at = 1 + STAGED.index("question_id"), 1 + STAGED.index("made_on")
    for columns in staging.chunks():
        for i in np.flatnonzero(pd.Series(columns[question_at], dtype=object).isin(list(late)).to_numpy()):
            yield columns[question_at][i], columns[made_at][i], Location(name, columns[0][i])
