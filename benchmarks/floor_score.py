"""F_score: the floor a report is measured against. Reads (forecaster, p, outcome) straight from a
ledger's SQLite file with the standard sqlite3 module — the 0/1 outcome of each forecast's event is
computed in the query — and computes each forecaster's mean Brier with numpy: no validation, no ORM,
no other score, no formatting.

    python benchmarks/floor_score.py ledger.db
"""

import sqlite3
import sys

import numpy as np

QUERY = """
SELECT f.forecaster_id, f.probability,
       CASE q.kind WHEN 'binary' THEN r.outcome = 'yes'
                   WHEN 'date' THEN r.outcome BETWEEN f.window_from AND f.window_to
                   ELSE r.outcome = f.option END
FROM forecast f
JOIN question q ON q.id = f.question_id
JOIN (SELECT question_id, max(sequence) AS sequence FROM resolution GROUP BY question_id) latest
  ON latest.question_id = f.question_id
JOIN resolution r ON r.question_id = latest.question_id AND r.sequence = latest.sequence
WHERE f.voided_reason IS NULL AND r.outcome NOT IN ('annulled', 'ambiguous')
"""


def main(path: str) -> None:
    forecaster, p, o = zip(*sqlite3.connect(path).execute(QUERY).fetchall())
    names, codes = np.unique(np.array(forecaster), return_inverse=True)
    brier = np.bincount(codes, weights=(np.array(p) - np.array(o, dtype=float)) ** 2) / np.bincount(codes)
    print(len(names), "forecasters, mean Brier", float(brier.mean()))


if __name__ == "__main__":
    main(sys.argv[1])
