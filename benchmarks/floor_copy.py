"""F_copy: the PostgreSQL floor an import is measured against (issue 16). pandas reads the CSV and a
plain psycopg `COPY` writes its questions, forecasters and forecasts into the same tables a ledger
has (the database must hold a fresh, empty ledger: `ledger --db URL db upgrade`), in one
transaction. No validation, no idempotence, no resolutions.

    python benchmarks/floor_copy.py FILE.csv postgresql://user@host/db
"""

import datetime as dt
import sys

import pandas as pd
import psycopg

COLUMNS = ["id", "question", "forecaster", "probability", "made_on", "window_from", "window_to", "option"]


def main(csv_path: str, url: str) -> None:
    frame = pd.read_csv(csv_path, usecols=COLUMNS + ["kind"], dtype={"probability": float}, keep_default_na=False)
    questions = frame.drop_duplicates("question")
    now = dt.datetime.now(dt.UTC)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:  # one transaction, committed on leaving
        with cursor.copy("COPY question (id, text, kind) FROM STDIN") as copy:
            for q, kind in zip(questions["question"], questions["kind"]):
                copy.write_row((q, q, kind))
        with cursor.copy("COPY forecaster (id, name, kind) FROM STDIN") as copy:
            for f in frame["forecaster"].unique():
                copy.write_row((f, f, "person"))
        with cursor.copy("COPY forecast (key, question_id, forecaster_id, probability, made_on, window_from, window_to, option, "
                         "recorded_at) FROM STDIN") as copy:
            for row in frame[COLUMNS].itertuples(index=False, name=None):
                copy.write_row((*(None if v == "" else v for v in row), now))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].replace("postgresql+psycopg://", "postgresql://", 1))
