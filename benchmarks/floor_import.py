"""F_import: the floor an import is measured against (issue 16), written exactly as the issue words it.
pandas reads the CSV; plain sqlite3 `executemany` writes questions, forecasters and forecasts — the
forecast table with two indexes and a CHECK constraint — in one transaction. No validation, no
idempotence, no resolutions: only reading the file and writing its rows.

    python benchmarks/floor_import.py FILE.csv floor.db
"""

import sqlite3
import sys

import pandas as pd

SCHEMA = """
CREATE TABLE question (id TEXT PRIMARY KEY, kind TEXT NOT NULL);
CREATE TABLE forecaster (id TEXT PRIMARY KEY);
CREATE TABLE forecast (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, question_id TEXT NOT NULL REFERENCES question(id),
    forecaster_id TEXT NOT NULL REFERENCES forecaster(id), probability REAL NOT NULL, made_on TEXT NOT NULL,
    window_from TEXT, window_to TEXT, option TEXT,
    CHECK (probability >= 0 AND probability <= 1)
);
CREATE UNIQUE INDEX ix_forecast_key ON forecast (key);
CREATE INDEX ix_forecast_question_forecaster ON forecast (question_id, forecaster_id, made_on);
"""
COLUMNS = ["id", "question", "forecaster", "probability", "made_on", "window_from", "window_to", "option"]


def main(csv_path: str, db_path: str) -> None:
    frame = pd.read_csv(csv_path, usecols=COLUMNS + ["kind"], dtype={"probability": float}, keep_default_na=False)
    questions = frame.drop_duplicates("question")
    connection = sqlite3.connect(db_path)
    connection.executescript(SCHEMA)
    with connection:  # one transaction
        connection.executemany("INSERT INTO question VALUES (?, ?)", zip(questions["question"], questions["kind"]))
        connection.executemany("INSERT INTO forecaster VALUES (?)", ((f,) for f in frame["forecaster"].unique()))
        rows = frame[COLUMNS].replace("", None)
        connection.executemany(
            "INSERT INTO forecast (key, question_id, forecaster_id, probability, made_on, window_from, window_to, option) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows.itertuples(index=False, name=None))
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
