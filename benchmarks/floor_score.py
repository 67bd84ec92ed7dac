"""F_score: the floor a report is measured against. Reads (forecaster, p, outcome) straight from a
ledger's SQLite file with the standard sqlite3 module and computes each forecaster's mean Brier with
numpy — no validation, no ORM, no formatting.

    python benchmarks/floor_score.py ledger.db
"""

import sqlite3
import sys

import numpy as np

QUERY = """
SELECT f.forecaster_id, f.probability, q.kind, f.window_from, f.window_to, f.option, r.outcome
FROM forecast f
JOIN question q ON q.id = f.question_id
JOIN resolution r ON r.question_id = f.question_id
 AND r.sequence = (SELECT max(sequence) FROM resolution WHERE question_id = f.question_id)
WHERE f.voided_reason IS NULL AND r.outcome NOT IN ('annulled', 'ambiguous')
"""


def main(path: str) -> None:
    rows = sqlite3.connect(path).execute(QUERY).fetchall()
    forecaster, p, kind, start, end, option, outcome = (np.array(c, dtype=str) for c in zip(*rows))
    o = np.where(kind == "binary", outcome == "yes",
                 np.where(kind == "date", (start <= outcome) & (outcome <= end), option == outcome)).astype(float)
    names, codes = np.unique(forecaster, return_inverse=True)
    brier = np.bincount(codes, weights=(p.astype(float) - o) ** 2) / np.bincount(codes)
    print(len(names), "forecasters, mean Brier", float(brier.mean()))


if __name__ == "__main__":
    main(sys.argv[1])
