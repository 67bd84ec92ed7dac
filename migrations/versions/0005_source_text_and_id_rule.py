"""A source keeps its text itself (read once from its text_path), so quotes are checked against it
from any folder and an export carries it; the database refuses ids no file could name again (empty,
spaces at either end, a line break or a tab).

Sources recorded before this revision keep their text_path only: their text is read from the
ledger's root folder when a quote needs it. Ids and tags written before it that the rule refuses are
repaired first, so that no ledger is left behind at 0004: a tab or line break becomes a space and
the spaces at either end go; an id left empty, or equal to another, takes the first free of
`unnamed-<table>`, `<id>-2`, `<id>-3`…; a tag left empty or repeated on its question goes. Each
repair is said by `ledger db upgrade` (the migration config's attribute "repaired").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import re

from alembic import context, op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _id_check(column: str) -> str:
    return (f"{column} <> '' AND {column} = trim({column}) AND {column} NOT LIKE '%\n%' AND {column} NOT LIKE '%\r%' "
            f"AND {column} NOT LIKE '%\t%'")


CONSTRAINTS = {
    "source": [("ck_source_id", _id_check("id"))],
    "forecaster": [("ck_forecaster_id", _id_check("id"))],
    "question": [("ck_question_id", _id_check("id"))],
    "question_tag": [("ck_question_tag_tag", _id_check("tag"))],
    "forecast": [("ck_forecast_key", _id_check("key"))],
}


# each id column, with the columns that refer to it
IDS = {
    ("source", "id"): [("forecast", "source_id")],
    ("forecaster", "id"): [("forecast", "forecaster_id")],
    ("question", "id"): [("forecast", "question_id"), ("resolution", "question_id"), ("question_tag", "question_id")],
    ("forecast", "key"): [],
}
_BREAKS = re.compile(r"[\t\r\n]+")


def _fixed(value: str) -> str:
    return _BREAKS.sub(" ", value).strip()


def _refused(bind, table: str, column: str) -> list[str]:
    """The values the constraint added below would refuse (its own condition, so nothing else is renamed)."""
    return sorted(v for (v,) in bind.execute(sa.text(f"SELECT {column} FROM {table} WHERE NOT ({_id_check(column)})")))


def _free(wanted: str, taken) -> str:
    """`wanted`, or the first of `wanted-2`, `wanted-3`… for which `taken(name)` is false."""
    name, n = wanted, 1
    while taken(name):
        n += 1
        name = f"{wanted}-{n}"
    return name


def _repair_ids(bind, table: str, column: str, referring: list[tuple[str, str]], said: list[str]) -> None:
    """Rename each id the rule refuses, with every reference to it: a copy of the row under the new
    id, the references moved to it, then the old row deleted (foreign keys hold at every step)."""
    rows = sa.Table(table, sa.MetaData(), autoload_with=bind)
    for old in _refused(bind, table, column):
        new = _free(_fixed(old) or f"unnamed-{table}",
                    lambda name: bind.execute(sa.select(rows.c[column]).where(rows.c[column] == name)).first() is not None)
        if referring:
            others = [c for c in rows.columns if c.name != column]
            bind.execute(rows.insert().from_select([column, *(c.name for c in others)],
                                                   sa.select(sa.literal(new), *others).where(rows.c[column] == old)))
            for child, key in referring:
                bind.execute(sa.text(f"UPDATE {child} SET {key} = :new WHERE {key} = :old"), {"new": new, "old": old})
            bind.execute(rows.delete().where(rows.c[column] == old))
        else:
            bind.execute(rows.update().where(rows.c[column] == old).values({column: new}))
        said.append(f"{table} {column} {old!r} is now {new!r}")


def _repair_tags(bind, said: list[str]) -> None:
    """Trim each tag the rule refuses; one left empty, or already on its question, goes."""
    tags = sa.Table("question_tag", sa.MetaData(), autoload_with=bind)
    refused = bind.execute(sa.text(f"SELECT question_id, tag FROM question_tag WHERE NOT ({_id_check('tag')}) ORDER BY question_id, tag"))
    for question, tag in refused.all():
        bind.execute(tags.delete().where(tags.c.question_id == question, tags.c.tag == tag))
        new = _fixed(tag)
        there = new and bind.execute(sa.select(tags.c.tag).where(tags.c.question_id == question, tags.c.tag == new)).first()
        if new and not there:
            bind.execute(tags.insert().values(question_id=question, tag=new))
            said.append(f"question {question!r}'s tag {tag!r} is now {new!r}")
        else:
            said.append(f"question {question!r}'s tag {tag!r} is gone ({'a repeat of ' + repr(new) if new else 'empty'})")


def upgrade() -> None:
    bind = op.get_bind()
    said = context.config.attributes.setdefault("repaired", [])
    for (table, column), referring in IDS.items():
        _repair_ids(bind, table, column, referring, said)
    _repair_tags(bind, said)
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text', sa.String(), nullable=True))
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CONSTRAINTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in checks:
                batch_op.drop_constraint(name, type_="check")
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('text')
