"""What an outcome means for each kind of question: yes/no words, dates, options, and the two
outcomes that settle a question without scoring it."""

from __future__ import annotations

import datetime as dt

from ledger.schema.dates import parse_date
from ledger.schema.vocabulary import VOID_OUTCOMES

_YES = {"yes", "y", "true", "1", "happened"}
_NO = {"no", "n", "false", "0", "did not happen"}
BINARY_OUTCOME_WORDS = _YES | _NO


def parse_outcome(kind: str, options: list[str] | None, raw: str) -> str:
    """The canonical outcome for a question: yes/no, an ISO date, one of its options, or annulled/ambiguous."""
    text = str(raw).strip()
    lowered = text.lower()
    if lowered in VOID_OUTCOMES:
        return lowered
    if kind == "binary":
        if lowered in _YES:
            return "yes"
        if lowered in _NO:
            return "no"
        raise ValueError(f"{text!r} is not an outcome for a yes/no question; give yes, no, annulled or ambiguous")
    if kind == "date":
        try:
            return parse_date(text).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} is not an outcome for a date question; give the date it happened (2026-02-19), annulled or ambiguous") from None
    matches = [o for o in options or [] if o.lower() == lowered]
    if matches:
        return matches[0]
    from ledger.errors import close_matches

    near = close_matches(lowered, [o.lower() for o in options or []], n=1)
    hint = f"did you mean {next(o for o in options or [] if o.lower() == near[0])!r}? " if near else ""
    listed = ", ".join(options or []) or "(the question lists no options)"
    raise ValueError(f"{text!r} is not one of this question's options; {hint}its options: {listed}; or give annulled or ambiguous")


def outcome_date(kind: str, outcome: str, occurred_on: dt.date | None) -> dt.date | None:
    """A date question's outcome is itself the date it happened; another date beside it is refused
    rather than silently dropped."""
    if kind == "date" and outcome not in VOID_OUTCOMES:
        happened = dt.date.fromisoformat(outcome)
        if occurred_on is not None and occurred_on != happened:
            from ledger.errors import FieldValueError

            raise FieldValueError(f"a date question's outcome is the date it happened ({happened}); the date given beside it, "
                                  f"{occurred_on}, differs: leave it out or give the same date", "occurred_on")
        return happened
    return occurred_on
