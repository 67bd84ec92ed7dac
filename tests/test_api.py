"""The library as a notebook user drives it: `from ledger import Ledger`, each method, each error type."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
import sqlalchemy as sa

from conftest import PREDICTIONS, ROOT
from ledger import Conflict, DatabaseError, InvalidInput, Ledger, LedgerError, NotFound
from ledger.db import migrate
from ledger.db.engine import is_busy, is_unique_violation


@pytest.fixture
def lg(db_url, tmp_path):
    """A Ledger on each database, its root holding the seed files."""
    shutil.copy(PREDICTIONS, tmp_path / "predictions.yaml")
    shutil.copytree(ROOT / "docs" / "sources", tmp_path / "docs" / "sources")
    with Ledger(db_url, root=tmp_path) as ledger:
        yield ledger


@pytest.fixture
def seeded_lg(lg):
    lg.import_file(lg.root / "predictions.yaml")
    return lg


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_a_new_database_gets_a_ledger_and_a_missing_file_is_refused_without_creating_it(tmp_path):
    path = tmp_path / "new.db"
    with Ledger(path) as ledger:
        assert ledger.forecast_rows() == [] and ledger.url == f"sqlite:///{path}"
    absent = tmp_path / "absent.db"
    with pytest.raises(DatabaseError) as refused:
        Ledger(absent, create=False)
    assert "ledger init" in str(refused.value) and not absent.exists()


def test_an_older_schema_is_refused_with_the_command_that_upgrades_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0002")
    with pytest.raises(DatabaseError, match="ledger db upgrade"):
        Ledger(url)


def test_add_by_number_and_by_words(lg):
    first = lg.add(question="q1", question_text="Will X happen?", kind="binary", forecaster="ana", name="Ana Li",
                   probability=0.7, made_on=dt.date(2026, 1, 5))
    second = lg.add(question="q1", forecaster="bo", name="Bo", says="unlikely", made_on=dt.date(2026, 1, 6))
    assert (first.probability, first.phrase) == (0.7, None)
    assert second.phrase == "unlikely" and second.scale == "icd203" and second.band_low < second.probability < second.band_high < 0.5
    rows = lg.forecast_rows(question="q1")
    assert [(r["forecaster"], r["made_on"]) for r in rows] == [("ana", "2026-01-05"), ("bo", "2026-01-06")]


def test_add_refuses_with_typed_errors_naming_fields(lg):
    lg.add(question="q1", question_text="Will X happen?", forecaster="ana", name="Ana", probability=0.7, made_on=dt.date(2026, 1, 5))
    cases = [
        (dict(probability=1.5), "probability"),
        (dict(probability=0.6, says="likely"), "probability"),
        (dict(says="perchance"), "says"),
        (dict(probability=0.4, made_onn=dt.date(2026, 1, 1)), "made_onn"),
        (dict(probability=0.4, scale="bogus"), "scale"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as error:
            lg.add(question="q1", forecaster="ana", **kwargs)
        assert field in error.value.fields, (kwargs, error.value.problems)
        assert "--" not in str(error.value), "library messages name fields, never flags"
    with pytest.raises(InvalidInput) as typo:
        lg.add(question="q1", forecaster="ana", probability=0.4, made_onn=dt.date(2026, 1, 1))
    assert "did you mean 'made_on'?" in str(typo.value)
    with pytest.raises(Conflict, match="already recorded as forecast 1"):
        lg.add(question="q1", forecaster="ana", probability=0.7, made_on=dt.date(2026, 1, 5))
    assert len(lg.forecast_rows()) == 1


def test_resolve_never_overwrites_and_corrects_on_request(seeded_lg):
    lg = seeded_lg
    first = lg.resolve("congress-opening", "2026-02-19", evidence="Xinhua, 20 February 2026")
    assert (first.sequence, first.outcome) == (1, "2026-02-19")
    assert lg.resolve("congress-opening", "2026-02-19").sequence == 1  # already says this: nothing changes
    with pytest.raises(Conflict) as refused:
        lg.resolve("congress-opening", "2026-02-20")
    assert "already resolved" in str(refused.value) and refused.value.fields == ["correction"]
    corrected = lg.resolve("congress-opening", "2026-02-20", correct=True, note="a later report")
    assert corrected.sequence == 2
    back = lg.resolve("congress-opening", "2026-02-19", correct=True)  # a correction back to the first outcome
    assert (back.sequence, back.outcome) == (3, "2026-02-19")
    with pytest.raises(NotFound) as missing:
        lg.resolve("congres-opening", "yes")
    assert missing.value.candidates[0] == "congress-opening" and missing.value.kind == "question"


def test_void_once(seeded_lg):
    lg = seeded_lg
    conditional = next(r for r in lg.forecast_rows() if r["condition"])
    voided = lg.void(conditional["id"], reason="the condition failed", on=dt.date(2026, 3, 1))
    assert voided.voided_reason == "the condition failed"
    with pytest.raises(Conflict, match="already voided"):
        lg.void(conditional["id"], reason="again")
    with pytest.raises(NotFound):
        lg.void(99999, reason="x")
    with pytest.raises(InvalidInput) as empty:
        lg.void(conditional["id"], reason="  ")
    assert empty.value.fields == ["reason"]


def test_import_is_all_or_nothing_with_file_lines(lg, tmp_path):
    summary = lg.import_file(lg.root / "predictions.yaml")
    assert summary.added["forecasts"] == 31 and "added 2 sources" in summary.describe()
    assert lg.import_file(lg.root / "predictions.yaml").added["forecasts"] == 0  # idempotent
    bad = tmp_path / "bad.yaml"
    bad.write_text("forecasts:\n  - {question: q-new, forecaster: lim-eul-chul, probability: 0.5, made_on: 2026-02-02}\n"
                   "  - {question: congress-opening, forecaster: nobody, probability: 2, made_on: 2026-02-02}\n", encoding="utf-8")
    before = len(lg.forecast_rows())
    with pytest.raises(LedgerError) as error:
        lg.import_file(bad)
    shown = [str(p) for p in error.value.problems]
    assert any(s.startswith(f"{bad}:2:") and "q-new" in s for s in shown)
    assert any(s.startswith(f"{bad}:3:") for s in shown)
    assert len(lg.forecast_rows()) == before


def test_export_as_text_and_to_a_file(seeded_lg, tmp_path):
    document = json.loads(seeded_lg.export("json"))
    assert len(document["forecasts"]) == 31
    path = seeded_lg.export(tmp_path / "out.yaml")
    assert path.read_text(encoding="utf-8").startswith("version: 1")
    assert seeded_lg.export(tmp_path / "out.csv").read_text(encoding="utf-8").startswith("question,forecaster,probability,made_on")
    with pytest.raises(InvalidInput):
        seeded_lg.export(tmp_path / "out.txt")


def test_readings(seeded_lg):
    lg = seeded_lg
    frame = lg.forecasts(forecaster="lim-eul-chul")
    assert isinstance(frame, pd.DataFrame) and set(frame["forecaster"]) == {"lim-eul-chul"} and len(frame) == 3
    assert lg.question("congress-opening")["kind"] == "date"
    with pytest.raises(NotFound) as missing:
        lg.question("congress-openin")
    assert missing.value.candidates[:1] == ["congress-opening"]
    assert {f["id"] for f in lg.forecasters()} >= {"koh-yu-hwan", "experts"}
    assert [s["id"] for s in lg.sources()] == ["seed-001", "seed-000"]
    assert all(q["days_overdue"] >= 0 for q in lg.due())


def test_scores_and_calibration_match_the_cli(seeded_lg, make_ledger):
    lg = seeded_lg
    lg.resolve("congress-opening", "2026-02-19")
    lg.resolve("congress-closing", "2026-02-25")
    frame = lg.scores(by="forecaster")
    cli = make_ledger(lg.url, init=False)
    printed = json.loads(cli("report", "--format", "json").stdout)
    from ledger.scoring.reports import as_rows

    assert as_rows(frame) == printed
    table = lg.calibration(bins=10)
    assert int(table["n"].sum()) == int(frame["n"].sum()) == 4


def test_the_database_refuses_a_probability_of_one_and_a_half_from_any_client(seeded_lg):
    engine = sa.create_engine(seeded_lg.url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE forecast SET probability = 1.5 WHERE id = 1"))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE forecast SET window_from = '2026-03-01', window_to = '2026-02-01' WHERE window_from IS NOT NULL"))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE question SET kind = 'maybe' WHERE id = 'congress-opening'"))
    finally:
        engine.dispose()


def test_driver_errors_are_recognised_by_their_codes(tmp_path):
    path = tmp_path / "codes.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as busy:
        waiter.execute("INSERT INTO t VALUES (1)")
    holder.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as unique:
        holder.execute("INSERT INTO t VALUES (1)")
    holder.execute("ROLLBACK")
    assert is_busy(busy.value) and not is_unique_violation(busy.value)
    assert is_unique_violation(unique.value) and not is_busy(unique.value)
    waiter.close()
    holder.close()


def test_no_code_tells_errors_apart_by_their_text():
    offenders = []
    for path in (ROOT / "ledger").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if " in str(exc" in line or " in str(error" in line or "str(exc.orig).lower()" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_readme_example_in_a_fresh_process(kind, tmp_path, request):
    """`from ledger import Ledger` works as documented in a new interpreter, on both databases."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        from conftest import _fresh_postgres

        url, drop = _fresh_postgres(request.getfixturevalue("postgres_server_url"))
        request.addfinalizer(drop)
    script = textwrap.dedent(f"""
        from datetime import date
        from ledger import Ledger, Conflict
        with Ledger({url!r}) as lg:
            lg.add(question="q1", question_text="Will X happen?", kind="binary", forecaster="ana", name="Ana Li",
                   probability=0.7, made_on=date(2026, 1, 5))
            lg.add(question="q1", forecaster="bo", name="Bo", says="unlikely", made_on=date(2026, 1, 6))
            lg.resolve("q1", "yes", on=date(2026, 2, 1), evidence="a report")
            try:
                lg.resolve("q1", "no")
            except Conflict:
                pass
            print(lg.scores().set_index("forecaster")["brier"].round(4).to_dict())
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'ana': 0.09, 'bo': 0.4556}"
