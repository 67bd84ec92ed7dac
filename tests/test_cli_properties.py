"""Property: whatever its arguments, every command of `ledger` ends in its output or in a clean
error (exit 0, 1 or 2), never a traceback; no password in the database URL is ever printed; and
no terminal control sequence reaches a table or a message.

Each command family is driven with command lines that mix valid flags and values with random text,
odd numbers (huge, negative, non-ASCII digits), unicode with control characters, paths of every
kind (files, folders, missing ones) and odd `--db` targets, against a small prepared SQLite ledger
restored before every example (so writes never pile up). 2,000 examples per family by default
(`LEDGER_PROPERTY_EXAMPLES` changes it), derandomized: the same examples on every run.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import typer.main
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT
from ledger.cli import app

EXAMPLES = int(os.environ.get("LEDGER_PROPERTY_EXAMPLES", "2000"))
SECRET = "pw-S3cr3t"  # in every URL with a password: it must never be printed

QUESTIONS = ["congress-opening", "congress-closing", "ai-weapons", "parallel-line", "us-stance", "five-year-plan", "congres-opening"]
FORECASTERS = ["experts", "hong-min", "lim-eul-chul", "observers", "newsroom-000", "crowd", "expert"]
SOURCES = ["seed-000", "seed-001", "seed-00"]

CONTROL = ["\x1b[31mred\x1b[0m", "\x1b]0;owned\x07", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\x9b31m", "\x1b[2J\x1b[H",
           "a\rb", "back\x08\x08", "\x07bell", "\x00nul", "\u202eevil", "tab\there", "line\nbreak", "\x7f", "\x85next"]
NUMBERS = ["0", "1", "-1", "3", "5", "10", "-0", "1.5", "0.5", "1e309", "-1e309", "nan", "inf", "-inf", "1e-400",
           "9223372036854775807", "9223372036854775808", "18446744073709551616", "99999999999999999999999999999999",
           "-99999999999999999999", "١٢", "٠٫٥", "１２", "¹²", "1_000", "0x10", "0b1", " 7 ", "+3", "7.", ".7", "70%",
           "150%", "-5%", "0.7", "2.5", "1/2", "½", "1e3", "3000000", "2147483648"]
DATES = ["2026-02-19", "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "1900-01-01", "2026-2-1", "20260219",
         "2026-02-06..2026-02-10", "2026-02-10..2026-02-06", "..", "x..y", "2026-02-19..", "yesterday", "٢٠٢٦-٠٢-١٩"]
PATHS = ["predictions.yaml", "good.csv", "bad.yaml", "article.txt", "folder", "missing.yaml", "nowhere/x.yaml", "out.yaml",
         "out.json", "out.csv", "out.png", "out.html", "out.md", ".", "", "-", "folder/", "notdb.db", "empty.txt", "big.json",
         "binary.bin", "folder/out.yaml", "ledger.db", "..", "lone.yml", "loop.yaml", "notdb.db/x.yaml", "n" * 300 + ".yaml",
         "link.yaml", "ledger.db-wal"]
DB_TARGETS = ["ledger.db", "missing.db", "notdb.db", "other.db", "newer.db", "empty.db", "older.db", "folder", "nowhere/x.db",
              "loop.db", "notdb.db/x.db", "n" * 300 + ".db", " ledger.db", "truncated.db", "link.db",
              "sqlite:///ledger.db", "sqlite:///ledger.db?mode=ro", "sqlite:///ledger.db?mode=ro&uri=true", "sqlite://",
              "sqlite:///:memory:", "sqlite:///ledger.db?timeout=abc", "sqlite:///ledger.db?check_same_thread=maybe",
              "sqlite://host/ledger.db", "sqlite:///ledger.db?bogus=1", "sqlite:///ledger.db#x",
              "sqlite:///missing%20db.db", "foo://x/y", "http://u:" + SECRET + "@h/x", "postgresql://u:" + SECRET + "@127.0.0.1:1/x",
              "postgresql+psycopg://u@127.0.0.1:1/x?password=" + SECRET, "postgresql://u:" + SECRET + "@127.0.0.1:abc/x",
              "postgresql://u:" + SECRET + "@127.0.0.1:99999/x", "postgresql://[::1/x", "mysql://u:" + SECRET + "@h/x",
              "postgresql://u@127.0.0.1:1/x?sslpassword=" + SECRET + "&passfile=/" + SECRET, "://", "sqlite:", ""]
# The prepared ledger: a few of the seed forecasts on each kind of question (a small one: an export
# or a report costs in proportion to the ledger, and there are tens of thousands of examples).
PREPARED = """version: 1
sources:
  - {id: seed-001, title: Seed article 001, published_on: 2026-02-02, text_path: docs/sources/001_e02439be91a7ab0b.txt}
  - {id: seed-000, title: Seed article 000, published_on: 2026-02-08, text_path: docs/sources/000_d37a896191be213a.txt}
forecasters:
  - {id: experts, name: Experts (unnamed), kind: collective}
  - {id: hong-min, name: Hong Min, affiliation: KINU, kind: person}
  - {id: lim-eul-chul, name: Lim Eul-chul, kind: person}
  - {id: observers, name: Observers (unnamed), kind: collective}
  - {id: newsroom-000, name: Newsroom of seed article 000, kind: organisation}
questions:
  - {id: congress-opening, text: "On what date does the congress open?", kind: date, resolve_by: 2026-03-31, tags: [congress, timing]}
  - {id: congress-closing, text: "On what date does the congress close?", kind: date, resolve_by: 2026-03-31, tags: [timing]}
  - {id: ai-weapons, text: "Will AI be named in weapons plans?", kind: binary, resolve_by: 2026-03-31, tags: [defence, nuclear]}
  - {id: parallel-line, text: "Will a parallel line be adopted?", kind: binary, resolve_by: 2026-03-31, tags: [defence]}
  - {id: five-year-plan, text: "Will a five-year plan be adopted?", kind: binary, resolve_by: 2027-03-31, tags: [economy]}
  - {id: us-stance, text: "What stance toward the United States?", kind: categorical, options: [outreach, no outreach],
     resolve_by: 2026-03-31}
forecasts:
  - {question: congress-opening, forecaster: experts, source: seed-001, window: 2026-02-06..2026-02-10, phrase: could,
     quote: "Based on past precedents, experts estimate the congress could open between Friday and Feb. 10"}
  - {question: congress-closing, forecaster: experts, source: seed-001, window: 2026-02-06..2026-02-15, phrase: potentially,
     quote: "potentially concluding ahead of Feb. 16, the birthday of former leader Kim Jong Il"}
  - {question: ai-weapons, forecaster: hong-min, source: seed-001, phrase: may,
     quote: "Hong added that Pyongyang may also task its defense sector with exploring the integration of artificial intelligence into next-generation weapons systems"}
  - {question: parallel-line, forecaster: experts, source: seed-001, phrase: predict,
     quote: "Experts predict that the congress will formally adopt a policy line emphasizing the parallel development of nuclear forces and conventional, or non-nuclear, military capabilities."}
  - {question: parallel-line, forecaster: hong-min, probability: 0.7, made_on: 2026-02-03}
  - {question: ai-weapons, forecaster: lim-eul-chul, probability: 0.35, made_on: 2026-02-04, condition: the congress opens}
  - {question: five-year-plan, forecaster: newsroom-000, source: seed-000, phrase: expected to}
  - {question: five-year-plan, forecaster: observers, probability: 80%, made_on: 2026-02-09}
  - {question: us-stance, forecaster: lim-eul-chul, option: no outreach, probability: 0.6, made_on: 2026-02-05}
  - {question: ai-weapons, forecaster: observers, probability: 0.5, made_on: 2026-02-05}
"""
SMALL = """version: 1
forecasters:
  - {id: small-f, name: Small Forecaster}
questions:
  - {id: small-q, text: "Will the small question resolve?", resolve_by: 2026-03-01}
forecasts:
  - {question: small-q, forecaster: small-f, probability: 0.6, made_on: 2026-02-01}
"""
FORMATS = ["table", "json", "csv", "markdown", "html", "yaml", "xml", "TABLE"]

# Random text: any unicode, but never a slash, so that a path made of it stays inside the test folder.
texts = st.text(st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), max_size=24)
values = st.one_of(texts, st.sampled_from(CONTROL), st.sampled_from(NUMBERS), st.sampled_from(DATES), st.sampled_from(PATHS),
                   st.integers(-10**40, 10**40).map(str), st.sampled_from(QUESTIONS + FORECASTERS + SOURCES))


def mostly(likely: st.SearchStrategy, otherwise: st.SearchStrategy, odds: int = 3) -> st.SearchStrategy:
    """`likely` `odds` times in `odds + 1`, else `otherwise`."""
    return st.integers(0, odds).flatmap(lambda i: likely if i else otherwise)


def pick(*pools: list[str]) -> st.SearchStrategy[str]:
    """Mostly a valid value for the option, else anything."""
    return mostly(st.sampled_from([v for pool in pools for v in pool]), values)


question, forecaster, source = pick(QUESTIONS), pick(FORECASTERS), pick(SOURCES)
number, date, path, fmt = pick(NUMBERS), pick(DATES), pick(PATHS), pick(FORMATS)
GLOBAL = {"--db": pick(DB_TARGETS), "--wide": None}
RARE = {"--version": None, "--help": None, "-h": None, "--": None}

# Each command: its words, its positional arguments and its options (None: a flag without a value).
COMMANDS: dict[str, tuple[list[str], list[st.SearchStrategy[str]], dict[str, st.SearchStrategy[str] | None]]] = {
    "init": (["init"], [], {"--file": path}),
    "add": (["add"], [st.just("--question"), question, st.just("--forecaster"), forecaster], {
        "--question": question, "--forecaster": forecaster, "--source": source, "--quote": pick(CONTROL, ["the congress"]),
        "--claim": values, "--probability": number, "-p": number, "--says": pick(["likely", "could", "expected to", "perchance"]),
        "--scale": pick(["icd203", "phia", "bogus"]), "--made-on": date, "--window": date, "--option": values,
        "--condition": values, "--question-text": pick(CONTROL, ["Will it?"]), "--kind": pick(["binary", "date", "categorical"]),
        "--options": pick(["a,b", ",", "a,,a"]), "--resolve-by": date, "--name": pick(CONTROL, ["A Name"]),
        "--affiliation": values, "--forecaster-kind": pick(["person", "institution", "aggregate", "model"]), "--title": values,
        "--published-on": date, "--yes": None}),
    "resolve": (["resolve"], [question, pick(["yes", "no", "annulled", "ambiguous", "2026-02-19", "maybe"])], {
        "--on": date, "--evidence": pick(SOURCES, CONTROL), "--quote": pick(CONTROL), "--note": values, "--correct": None}),
    "void": (["void"], [pick(NUMBERS, ["1", "2", "31", "32"]), st.just("--reason"), pick(CONTROL, ["it failed"])], {"--on": date}),
    "import": (["import"], [path], {"--dry-run": None, "--scale": pick(["icd203", "phia", "bogus"]), "--quiet": None, "-q": None}),
    "export": (["export"], [], {"--format": fmt, "-f": fmt, "--output": path, "-o": path}),
    "list": (["list"], [], {
        "--status": pick(["open", "resolved", "annulled", "ambiguous", "due", "bogus"]), "--forecaster": forecaster,
        "--source": source, "--tag": pick(["timing", "nuclear", "bogus"]), "--question": question, "--limit": number,
        "--format": fmt, "-f": fmt}),
    "show": (["show"], [question], {"--format": fmt, "-f": fmt}),
    "due": (["due"], [], {"--within": number, "--format": fmt}),
    "forecasters": (["forecasters"], [], {"--format": fmt}),
    "sources": (["sources"], [], {"--format": fmt}),
    "report": (["report"], [], {
        "--by": pick(["forecaster", "source", "publisher", "tag", "phrase", "question", "horizon", "bogus"]), "--min-n": number,
        "--latest": None, "--as-of": date, "--sort": pick(["brier", "peer", "baseline", "log", "n", "bogus"]), "--format": fmt,
        "-f": fmt, "--output": path, "-o": path, "--title": values, "--quiet": None}),
    "pairwise": (["pairwise"], [], {"--forecaster": forecaster, "--latest": None, "--as-of": date, "--format": fmt}),
    "calibration": (["calibration"], [], {
        "--forecaster": forecaster, "--bins": number, "--latest": None, "--as-of": date, "--plot": path,
        "--by": pick(["year", "quarter", "month"]), "--format": fmt}),
    "aggregate": (["aggregate"], [st.just("--as"), pick(["crowd"], FORECASTERS)], {
        "--method": pick(["median", "mean", "geo-mean-odds", "extremized", "track-record", "bogus"]), "--as": pick(["crowd"], FORECASTERS),
        "--as-of": date, "--exponent": number}),
    "extract": (["extract"], [pick(["article.txt"], PATHS)], {
        "--source-id": values, "--title": values, "--publisher": values, "--published-on": date, "--url": values,
        "--output": path, "-o": path, "--dry-run": None}),
    "db": (["db"], [pick(["upgrade", "current", "history", "downgrade"]), pick(["head", "0001", "0003", "0004", "0005", "base",
                                                                               "heads", "+1", "-1", "0004:0001", "004"])], {}),
}


# The families the examples are counted by: the listings together, the two reports together.
FAMILIES = {"init": ["init"], "add": ["add"], "resolve": ["resolve"], "void": ["void"], "import": ["import"], "export": ["export"],
            "list": ["list", "due", "forecasters", "sources"], "show": ["show"], "report": ["report", "pairwise"],
            "calibration": ["calibration"], "aggregate": ["aggregate"], "extract": ["extract"], "db": ["db"]}


def family_lines(family: str) -> st.SearchStrategy[list[str]]:
    return st.one_of(*(command_lines(*COMMANDS[name]) for name in FAMILIES[family]))


def command_lines(words, positionals, options) -> st.SearchStrategy[list[str]]:
    """The command's words, then its positionals (usually valid), then a mix of its options, global
    options and stray values, in any order."""
    flags = {**options, **GLOBAL, **RARE}

    def option(flag: str) -> st.SearchStrategy[list[str]]:
        value = flags[flag]
        return st.just([flag]) if value is None else mostly(value.map(lambda v: [flag, v]), value.map(lambda v: [f"{flag}={v}"]))

    def some(group: dict) -> st.SearchStrategy[list[str]]:
        return st.sampled_from(sorted(group)).flatmap(option) if group else st.just([])

    # mostly the command's own options; now and then a global one; rarely a stray value or --help
    token = mostly(some(options), mostly(some(GLOBAL), mostly(values.map(lambda v: [v]), some(RARE)), 1), 5)
    return st.tuples(st.tuples(*positionals).map(list), st.lists(token, max_size=7)).map(
        lambda parts: words + parts[0] + [t for group in parts[1] for t in group])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder with a prepared ledger (imported, one question resolved, one forecast voided, one
    resolution corrected), the files commands read, and the odd databases; restored before each example."""
    work = tmp_path_factory.mktemp("properties")
    (work / "predictions.yaml").write_text(PREPARED, encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "sources", work / "docs" / "sources")
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(work)
    try:
        for args in (["init"], ["resolve", "ai-weapons", "no"], ["resolve", "ai-weapons", "yes", "--correct"],
                     ["resolve", "congress-opening", "2026-02-19"], ["resolve", "us-stance", "annulled"],
                     ["void", "6", "--reason", "failed"]):
            result = runner.invoke(app, ["--db", "ledger.db", *args])
            assert result.exit_code == 0, (args, result.output)
    finally:
        os.chdir(cwd)
    # what `init` and `import predictions.yaml` read in the examples: a small file, so that they cost little
    (work / "predictions.yaml").write_text(SMALL, encoding="utf-8")
    (work / "good.csv").write_text("question,forecaster,probability,made_on,question_text\nq-csv,f-csv,0.5,2026-01-01,Will it?\n",
                                   encoding="utf-8")
    (work / "bad.yaml").write_text("version: 1\nforecasts:\n  - {question: nope, forecaster: [x\n", encoding="utf-8")
    (work / "lone.yml").write_text("version: 1\nforecasters:\n  - {id: \"\\e[31mred\", name: \"\\e]0;owned\\a\"}\n", encoding="utf-8")
    (work / "article.txt").write_text("Analysts said the congress will likely open in February.\x1b[31m Experts expect talks "
                                      "could resume by 2027.\n", encoding="utf-8")
    (work / "empty.txt").write_text("", encoding="utf-8")
    (work / "big.json").write_text("[" * 5000, encoding="utf-8")
    (work / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (work / "notdb.db").write_text("not a database\n" * 500, encoding="utf-8")
    (work / "empty.db").write_bytes(b"")
    (work / "folder").mkdir()
    with sqlite3.connect(work / "other.db") as other:
        other.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    other.close()
    with sqlite3.connect(work / "newer.db") as newer:
        newer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        newer.execute("INSERT INTO alembic_version VALUES ('0099')")
    newer.close()
    (work / "truncated.db").write_bytes((work / "ledger.db").read_bytes()[:5000])
    for loop in ("loop.db", "loop.yaml"):
        (work / loop).symlink_to(work / loop)
    (work / "link.db").symlink_to(work / "ledger.db")
    (work / "link.yaml").symlink_to(work / "predictions.yaml")
    shutil.copy(work / "ledger.db", work / "older.db")
    with sqlite3.connect(work / "older.db") as older:
        older.execute("UPDATE alembic_version SET version_num = '0003'")
    older.close()
    return work


@pytest.fixture(scope="module")
def restore(folder):
    """A function that puts the folder back as prepared: changed files rewritten, new ones removed
    (the files' sizes and times tell what changed, which costs far less than reading them)."""
    def state() -> dict[Path, tuple[int, int]]:
        return {p: (s.st_size, s.st_mtime_ns) for p in folder.rglob("*") for s in [p.lstat()]}

    pristine = state()
    links = {p: os.readlink(p) for p in pristine if p.is_symlink()}
    content = {p: p.read_bytes() for p in pristine if p.is_file() and p not in links}

    def restore() -> None:
        now = state()
        for item in sorted(now, reverse=True):  # a folder's contents before the folder
            if item not in pristine or (item in links and not item.is_symlink()):  # new, or a link written over
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()
        for link, target in links.items():
            if not link.is_symlink():
                link.symlink_to(target)
        for file, data in content.items():
            if now.get(file) != pristine[file]:
                file.write_bytes(data)
                os.utime(file, ns=(pristine[file][1], pristine[file][1]))

    return restore


@pytest.fixture(scope="module")
def invoke(folder, restore):
    """Run one command line in the folder, in-process, with the click command built once."""
    command = typer.main.get_command(app)
    runner = CliRunner()
    original = typer.testing._get_command

    def run(args: list[str], env: dict[str, str] | None = None):
        restore()
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            return runner.invoke(app, args, env={"LEDGER_DATABASE_URL": None, "COLUMNS": "80", **(env or {})})
        finally:
            os.chdir(cwd)

    typer.testing._get_command = lambda _app: command  # building the command costs more than most examples
    yield run
    typer.testing._get_command = original


CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check(result, args: list[str]) -> None:
    """No traceback, no unexpected exception, a known exit code, no password, no control sequence
    outside JSON and CSV data."""
    shown = f"ledger {' '.join(map(repr, args))} -> {result.exit_code}:\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    assert SECRET not in result.output, shown
    assert not CONTROLS.search(result.stderr), shown
    # data (JSON, CSV, an export or a draft to import) is printed as it is: only tables and messages are neutralised
    data = (any(word in ("json", "csv") or word.endswith(("=json", "=csv")) for word in args) or args[0] in ("export", "--help")
            or (args[0] == "extract" and "--dry-run" not in args))
    assert data or not CONTROLS.search(result.stdout), shown


def examples() -> settings:
    return settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_no_command_line_ends_in_a_traceback(invoke, family):
    @examples()
    @given(family_lines(family), st.sampled_from([None, None, None, "ledger.db", "notdb.db", DB_TARGETS[20]]))
    def run(args, env_db):
        result = invoke(args, {"LEDGER_DATABASE_URL": env_db} if env_db else None)
        check(result, args)

    run()
