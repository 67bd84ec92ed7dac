"""One schema per entity, proved by doing it: in a copy of the package, an optional column added to
ForecastFields plus one migration is carried by import, export, the API and `list --format json`
with no other edit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT

COLUMN = "    condition: str | None = None  # if it fails, the forecast is voided\n"
MIGRATION = '''"""A forecast may carry a note on how confident the words sounded.

Revision ID: 0099
Revises: {head}
"""
from alembic import op
import sqlalchemy as sa

revision = '0099'
down_revision = '{head}'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('forecast') as batch_op:
        batch_op.add_column(sa.Column('confidence_note', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('forecast') as batch_op:
        batch_op.drop_column('confidence_note')
'''
def test_an_optional_forecast_column_needs_only_the_model_and_a_migration(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "ledger", src / "ledger", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "migrations", src / "ledger" / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    tables = src / "ledger" / "schema" / "tables.py"
    text = tables.read_text(encoding="utf-8")
    assert COLUMN in text
    tables.write_text(text.replace(COLUMN, COLUMN + "    confidence_note: str | None = None\n"), encoding="utf-8")
    head = (src / "ledger" / "db" / "engine.py").read_text(encoding="utf-8").split('SCHEMA_REVISION = "')[1][:4]
    (src / "ledger" / "migrations" / "versions" / "0099_confidence_note.py").write_text(MIGRATION.format(head=head), encoding="utf-8")
    engine_py = src / "ledger" / "db" / "engine.py"  # the revision the code expects is the migrations' head
    engine_py.write_text(engine_py.read_text(encoding="utf-8").replace(f'SCHEMA_REVISION = "{head}"', 'SCHEMA_REVISION = "0099"'),
                         encoding="utf-8")

    extra = tmp_path / "extra.yaml"
    extra.write_text(textwrap.dedent("""\
        forecasts:
          - {question: q1, forecaster: ana, probability: 0.8, made_on: 2026-01-09, confidence_note: from the file}
        """), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import datetime as dt, json, yaml
        from ledger import Ledger
        with Ledger({str(tmp_path / 'a.db')!r}) as lg:
            lg.add(question="q1", question_text="Will X happen?", forecaster="ana", name="Ana", probability=0.6,
                   made_on=dt.date(2026, 1, 5), confidence_note="said twice")
            lg.import_file({str(extra)!r})
            exported = lg.export({str(tmp_path / 'out.yaml')!r})
            header = lg.export("csv").splitlines()[0].split(",")
        with Ledger({str(tmp_path / 'b.db')!r}) as again:
            again.import_file(exported)
            back = yaml.safe_load(again.export("yaml"))
        print(json.dumps({{"yaml": [f.get("confidence_note") for f in back["forecasts"]], "csv": "confidence_note" in header}}))
        """)], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"yaml": ["said twice", "from the file"], "csv": True}

    listed = subprocess.run([sys.executable, "-m", "ledger", "--db", str(tmp_path / "b.db"), "list", "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert [row["confidence_note"] for row in json.loads(listed.stdout)] == ["said twice", "from the file"]
