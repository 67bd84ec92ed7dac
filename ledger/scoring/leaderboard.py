"""The report as a leaderboard: rows ranked by one score in its better direction, the rows with too
few scored forecasts to judge listed after the ranked ones rather than among them."""

from __future__ import annotations

import pandas as pd

from ledger.errors import InvalidInput, close_matches

HEADLINE = "brier"  # the default ranking: mean Brier of the forecasts as made, with its bootstrap interval
HIGHER_IS_BETTER = frozenset({"n", "n_relative", "baseline", "baseline_sum", "peer", "peer_sum", "log_score", "skill_vs_chance",
                              "skill_vs_base_rate", "resolution", "right_side"})


def default_sort(by: str) -> str:
    """The headline Brier, except for horizons, which read best in their own order."""
    return by if by == "horizon" else HEADLINE


def better_first(column: str) -> bool:
    """Whether a larger value of `column` ranks higher (scores and counts) rather than lower (losses)."""
    return column in HIGHER_IS_BETTER


def rank(report: pd.DataFrame, by: str, *, sort: str | None = None, min_n: int = 1) -> pd.DataFrame:
    """`report` sorted by `sort` (default: the headline Brier), best first, with a `rank` column (1 for
    the best; ties share a rank) for the rows with at least `min_n` scored forecasts and a value;
    the others follow in the same order, unranked. Ties and the unranked are ordered by the group key."""
    column = sort or default_sort(by)
    if column not in report.columns or column == "note":
        choices = [c for c in report.columns if c != "note"]
        hint = close_matches(column, choices, n=1)
        raise InvalidInput(f"cannot sort by {column!r}; " + (f"did you mean {hint[0]!r}?" if hint else f"choose one of {', '.join(choices)}"),
                           field="sort")
    if column == by:  # in the groups' own order (horizons from the shortest), nobody ranked
        result = report.sort_values(by, kind="stable").reset_index(drop=True)
        result.insert(1, "rank", pd.Series(pd.NA, index=result.index, dtype="Int64"))
        return result
    values = pd.to_numeric(report[column], errors="coerce")
    ranked = (report["n"].to_numpy() >= min_n) & values.notna().to_numpy()
    descending = better_first(column)
    order = report.assign(_unranked=~ranked, _value=values).sort_values(
        ["_unranked", "_value", by], ascending=[True, not descending, True], na_position="last", kind="stable")
    ranks = order["_value"].where(~order["_unranked"]).rank(method="min", ascending=not descending)
    result = order.drop(columns=["_unranked", "_value"]).reset_index(drop=True)
    result.insert(1, "rank", pd.Series(ranks.to_numpy(), index=result.index).astype("Int64"))  # after the group key, which stays first
    return result


def title(by: str, column: str | None, min_n: int) -> str:
    """The table's header: which score ranks the rows and in which direction, and who is ranked."""
    column = column or default_sort(by)
    if column == by:
        return f"Accuracy by {by}"
    direction = "higher" if better_first(column) else "lower"
    name = "Brier score" if column == HEADLINE else column
    return f"Leaderboard by {name} ({direction} is better); ranked: {min_n}+ scored forecast{'s' if min_n != 1 else ''}"

