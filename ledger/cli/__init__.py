"""The `ledger` command. Thin: it parses options, calls the library, prints, and turns library
errors into one clean message each (exit 1). Heavy modules are imported inside the commands so that
`ledger --help` costs little more than importing typer."""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional, TypeAlias

import typer
from typer.core import TyperGroup

from ledger import __version__
from ledger.errors import LedgerError
from ledger.schema.vocabulary import AGGREGATE_METHODS, FORECASTER_KINDS, GROUPINGS, PERIODS, QUESTION_KINDS, STATUSES

SHOWN_PROBLEMS = 100


def _label(field: str, flags: dict[str, str]) -> str:
    """How the command line names a library field: the command's own argument or flag."""
    return flags.get(field) or "--" + field.replace("_", "-")


def _say(text: str, err: bool = False) -> None:
    """Print a message (not data): whatever the user or a file put in it, no credential of a
    database URL and no terminal control sequence gets through (`redact`, `printable`)."""
    from ledger.cli.output import printable
    from ledger.db.engine import ENV_VAR, redact

    typer.echo(printable(redact(text, State.db or os.environ.get(ENV_VAR))), err=err)


def _fail(error: LedgerError, flags: dict[str, str]) -> None:
    """Print the problems (a file with thousands shows the first hundred and a count) and exit 1."""
    problems = error.problems
    for problem in problems[:SHOWN_PROBLEMS]:
        _say(f"error: {problem.render(_label(problem.field, flags) if problem.field else None)}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        _say(f"error: … and {len(problems) - SHOWN_PROBLEMS} more problems; nothing was written", err=True)
    raise typer.Exit(1)


def _command(group: typer.Typer, name: Optional[str] = None, **flags: str):
    """Register a command whose LedgerErrors print as `error: file:line: message` (or `error: --flag:
    message`, `flags` naming the command's arguments by the library's field names) and exit 1."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except LedgerError as exc:
                _fail(exc, flags)

        return group.command(name, epilog=GLOBAL_HELP)(run)

    return register


GLOBAL_OPTIONS = ("--db",)  # options of the whole program, taken before or after the command's name
GLOBAL_FLAGS = ("--wide", "--version")  # the same, for options that take no value
GLOBAL_HELP = "Global options, before or after the command: --db URL, --wide (tables at full width); see `ledger --help`."


def _hoist(args: list[str]) -> list[str]:
    """Move the global options (and their values) in front of the command, so `ledger list --db x`
    means `ledger --db x list`; nothing after `--` is touched."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(args):
            front += args[i:i + 2]
            i += 2
            continue
        (front if arg.split("=", 1)[0] in GLOBAL_OPTIONS or arg in GLOBAL_FLAGS else rest).append(arg)
        i += 1
    return front + rest


INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C
DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class _Program(TyperGroup):
    """The `ledger` command: global options anywhere, and every usage mistake in the same style as
    every other error (`error: …` on standard error, exit 2), never click's own banner."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # typer would end silently with 130; said as an interruption instead
            raise typer.Abort() from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        argv = _hoist(list(sys.argv[1:] if args is None else args))
        if not argv:  # no command at all: what there is to do
            argv = ["--help"]
        if any("\0" in arg for arg in argv):  # no shell passes one, and no file name or value can hold one
            _say("error: an argument holds a NUL character (\\x00), which no value or file name can; see `ledger --help`", err=True)
            return self._exit(2, standalone_mode)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:  # Ctrl-C, or the input ending at a prompt: every write is one transaction, rolled back
            _say("\nerror: interrupted; nothing was written", err=True)
            code = INTERRUPTED
        except OSError as exc:  # standard output (or a temporary file) on a full disk; any other is a bug
            if exc.errno not in DISK_FULL:
                raise
            _say(f"error: cannot write {exc.filename or 'the output'}: {exc.strerror}; free some space and run it again", err=True)
            code = 1
        except Exception as exc:
            message, code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
            if message is None or code is None:  # not a usage error: a bug, shown as one
                raise
            where = getattr(getattr(exc, "ctx", None), "command_path", None) or "ledger"
            _say(f"error: {message().rstrip('.')}; see `{where} --help`", err=True)
        return self._exit(code, standalone_mode)

    @staticmethod
    def _exit(code: int | None, standalone_mode: bool):
        if not standalone_mode:
            return code
        sys.exit(code or 0)


# Plain help, not rich's: rendering it with rich costs more than importing typer itself.
app = typer.Typer(
    name="ledger",
    cls=_Program,
    rich_markup_mode=None,
    help="A forecast ledger: record who predicted what, in which words, resolve it, and score it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Schema migrations (alembic) for the ledger database.", rich_markup_mode=None)
app.add_typer(db_app, name="db")


def _choices(name: str, values: tuple[str, ...]) -> Any:
    """A closed set of words for an option, built from the vocabulary (click checks it and --help lists it)."""
    return Enum(name, [(v, v) for v in values], type=str)


if TYPE_CHECKING:  # to a type checker the choices are plain text enums of no fixed members
    OutputFormat: TypeAlias = Enum
    FileFormat: TypeAlias = Enum
    QuestionKind: TypeAlias = Enum
    ForecasterKind: TypeAlias = Enum
    Status: TypeAlias = Enum
    Grouping: TypeAlias = Enum
    ReportFormat: TypeAlias = Enum
    TableFormat: TypeAlias = Enum
    Period: TypeAlias = Enum
    Method: TypeAlias = Enum
else:
    OutputFormat = _choices("OutputFormat", ("table", "json", "csv"))
    FileFormat = _choices("FileFormat", ("yaml", "json", "csv"))
    QuestionKind = _choices("QuestionKind", QUESTION_KINDS)
    ForecasterKind = _choices("ForecasterKind", FORECASTER_KINDS)
    Status = _choices("Status", STATUSES)
    Grouping = _choices("Grouping", GROUPINGS)
    ReportFormat = _choices("ReportFormat", ("table", "json", "csv", "markdown", "html"))
    TableFormat = _choices("TableFormat", ("table", "json", "csv", "markdown"))
    Period = _choices("Period", PERIODS)
    Method = _choices("Method", AGGREGATE_METHODS)
FormatOption = typer.Option("table", "--format", "-f", help="Output format.")
TextsFromOption = typer.Option(None, "--texts-from", metavar="DIR", help="Also read sources' text_path files from inside this folder "
                               "(by default only from inside the folder of the file that names them).")


class State:
    db: Optional[str] = None
    wide: bool = False


def _version(value: bool) -> None:
    if value:
        _say(f"ledger {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Optional[str] = typer.Option(None, "--db", metavar="URL", help="Database URL or SQLite path. Default: $LEDGER_DATABASE_URL, else ./ledger.db."),
    wide: bool = typer.Option(False, "--wide", help="Tables at full width, every column, however wide the terminal "
                              "(by default they fit it, or 80 columns when piped, unless COLUMNS says otherwise)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """A forecast ledger: record who predicted what, in which words, resolve it, and score it."""
    State.db, State.wide = db, wide


def _ledger(create: bool = False):
    """The ledger at --db; the CLI never creates one except through `init` and `db upgrade`."""
    from ledger.api import Ledger, has_ledger_file

    # Relative source texts are read beside a SQLite ledger; on a server, from where the command runs.
    return Ledger(State.db, create=create, root=None if has_ledger_file(State.db) else Path.cwd())


def _echo(text: str) -> None:
    """Print data (JSON, CSV, YAML, HTML) or a table already made printable, exactly: click alone
    would strip what looks like a colour code from a CSV cell whenever the output is piped."""
    typer.echo(text, nl=not text.endswith("\n"), color=True)


def _parsed(value: Optional[str], parse, field: str):
    """A typed value from an option's text; a bad one is an InvalidInput naming the field."""
    if value is None:
        return None
    from ledger.errors import InvalidInput, Problem

    try:
        return parse(value)
    except ValueError as exc:
        raise InvalidInput([Problem(None, str(exc), field)]) from None


_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_REAL = re.compile(r"[+-]?([0-9]{1,18}\.?[0-9]{0,18}|\.[0-9]{1,18})([eE][+-]?[0-9]{1,3})?")


def _whole(text: str | int) -> int:
    """A whole-number option's value: digits 0-9, at most 19 of them (int() alone would also take
    '١٢', '1_000' and numbers no database stores); the library checks its range."""
    if isinstance(text, int):  # the option's default
        return text
    if not _WHOLE.fullmatch(text.strip()):
        raise typer.BadParameter(f"{text[:40]!r} is not a whole number; write it in digits 0-9 (at most 19)")
    return int(text)


def _real(text: str | float) -> float:
    """A decimal option's value, in digits 0-9 (float() alone would also take '١٢', 'nan' and 'inf')."""
    if isinstance(text, float):
        return text
    if not _REAL.fullmatch(text.strip()):
        raise typer.BadParameter(f"{text[:40]!r} is not a decimal number; write it in digits 0-9, like 2.5")
    return float(text)


def _date(value: Optional[str], field: str):
    from ledger.schema.dates import parse_date

    return _parsed(value, parse_date, field)


def _print(rows: list[dict], fmt: str, columns=None, title: Optional[str] = None, drop_first: tuple[str, ...] = (),
           formats: bool = True) -> None:
    """Rows in `fmt`; a table fits the terminal unless --wide, `drop_first` naming the columns that
    go first when it cannot (`formats`: the command takes --format, which the table's note names)."""
    from ledger.cli.output import render

    _echo(render(rows, fmt, columns, title, wide=State.wide, drop_first=drop_first, formats=formats))


# --- the schema ---------------------------------------------------------------------------------

@_command(app)
def init(
    file: Optional[Path] = typer.Option(None, "--file", help="Ledger file to load after creating the schema (default: "
                                        "predictions.yaml, when there is one)."),
    texts_from: Optional[Path] = TextsFromOption,
) -> None:
    """Create or upgrade the database schema, then load predictions.yaml if present."""
    if file is not None:  # a file named must be there: checked before the schema is touched
        from ledger.io.loaders import check_readable

        check_readable(file)
    elif os.path.exists("predictions.yaml"):  # (which, unlike Path.exists, is False for a name too long rather than an error)
        file = Path("predictions.yaml")
    _upgrade("head")
    if file is not None:
        _import(file, dry_run=False, scale=None, texts_from=texts_from)


@_command(db_app, "upgrade", revision="REVISION")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Upgrade the schema (SQLite files are backed up first)."""
    _upgrade(revision)


def _upgrade(revision: str) -> None:
    """Migrate, saying where a SQLite backup went and which revision the schema came from."""
    from ledger.api import upgrade

    before, after, backup, repaired = upgrade(State.db, revision)
    if backup:
        _say(f"backed up the database to {backup}")
    for repair in repaired:
        _say(f"repaired: {repair}")
    change = "" if before is None else " (already current)" if before == after else f" (was {before})"
    _say(f"schema at revision {after}{change}")


@_command(db_app, "current")
def db_current() -> None:
    """Show the schema revision the database is at."""
    from ledger.api import revision

    _say(revision(State.db) or "(no ledger there yet: run `ledger init`)")


@_command(db_app, "history")
def db_history() -> None:
    """List the schema migrations."""
    from ledger.api import history

    _echo(history())


# --- getting forecasts in and out ------------------------------------------------------------------

def _import(file: Path, dry_run: bool, scale: Optional[str], quiet: bool = False, texts_from: Optional[Path] = None) -> None:
    from ledger.cli.progress import Progress
    from ledger.io.loaders import count_rows

    with _ledger() as lg, Progress.for_terminal(f"importing {file.name}", count_rows(file), quiet) as progress:
        summary = lg.import_file(file, scale=scale, dry_run=dry_run, progress=progress.advance, texts_from=texts_from)
    _say(f"{file}: " + ("would have " if dry_run else "") + summary.describe() + (" (dry run: nothing written)" if dry_run else ""))


@_command(app, "import")
def import_(
    file: Path = typer.Argument(..., help="A .yaml, .json or .csv ledger file."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check everything and report, but write nothing."),
    scale: Optional[str] = typer.Option(None, "--scale", help="Which probability scale turns hedge phrases into numbers when the file "
                                        "names none: icd203 (default) or phia (docs/probability-scales.md)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    texts_from: Optional[Path] = TextsFromOption,
) -> None:
    """Import forecasts, questions, sources and resolutions; all-or-nothing and idempotent."""
    _import(file, dry_run, scale, quiet, texts_from)


@_command(app)
def export(
    fmt: FileFormat = typer.Option("yaml", "--format", "-f", help="File format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of standard output."),
) -> None:
    """Export the whole ledger; YAML and JSON keep the full resolution history."""
    with _ledger() as lg:
        if output is None:
            _echo(str(lg.export(fmt.value)))
        else:
            _say(f"wrote {lg.export(output, format=fmt.value)}", err=True)


@_command(app)
def add(
    question: str = typer.Option(..., "--question", help="Question id; a new one needs --question-text."),
    forecaster: str = typer.Option(..., "--forecaster", help="Forecaster id; a new one takes --name."),
    source: Optional[str] = typer.Option(None, "--source", help="Source id; a new one takes --title."),
    quote: Optional[str] = typer.Option(None, "--quote", help="The forecaster's words, verbatim."),
    claim: Optional[str] = typer.Option(None, "--claim", help="The claim in plain words."),
    probability: Optional[str] = typer.Option(None, "--probability", "-p", help="Stated probability: 0.7 or 70%."),
    says: Optional[str] = typer.Option(None, "--says", help="The hedge phrase used ('likely', 'expected to', 'could')."),
    scale: Optional[str] = typer.Option(None, "--scale", help="Which probability scale turns the --says words into a number: icd203 "
                                        "(default) or phia (docs/probability-scales.md)."),
    made_on: Optional[str] = typer.Option(None, "--made-on", help="Date the forecast was made (default: the source's date, else today)."),
    window: Optional[str] = typer.Option(None, "--window", help="For date questions: FROM..TO, e.g. 2026-02-06..2026-02-10."),
    option: Optional[str] = typer.Option(None, "--option", help="For categorical questions: the option forecast."),
    condition: Optional[str] = typer.Option(None, "--condition", help="A condition; if it fails, void the forecast."),
    question_text: Optional[str] = typer.Option(None, "--question-text", help="Text of a new question."),
    kind: Optional[QuestionKind] = typer.Option(None, "--kind", help="Kind of a new question."),
    options: Optional[str] = typer.Option(None, "--options", help="Options of a new categorical question, comma-separated."),
    resolve_by: Optional[str] = typer.Option(None, "--resolve-by", help="Resolve-by date of a new question."),
    name: Optional[str] = typer.Option(None, "--name", help="Name of a new forecaster."),
    affiliation: Optional[str] = typer.Option(None, "--affiliation", help="Affiliation of a new forecaster."),
    forecaster_kind: Optional[ForecasterKind] = typer.Option(None, "--forecaster-kind", help="Kind of a new forecaster."),
    title: Optional[str] = typer.Option(None, "--title", help="Title of a new source."),
    published_on: Optional[str] = typer.Option(None, "--published-on", help="Publication date of a new source."),
) -> None:
    """Record one forecast, creating its question, forecaster and source when new."""
    from ledger.schema.dates import parse_window

    typed = dict(
        probability=probability, says=says, scale=scale, source=source, question_text=question_text,
        kind=kind.value if kind else None, resolve_by=_date(resolve_by, "resolve_by"), name=name, affiliation=affiliation,
        forecaster_kind=forecaster_kind.value if forecaster_kind else None, title=title,
        published_on=_date(published_on, "published_on"), window=_parsed(window, parse_window, "window"),
        options=[o.strip() for o in options.split(",") if o.strip()] if options else None,
    )
    described = dict(made_on=made_on, quote=quote, claim=claim, option=option, condition=condition)
    with _ledger() as lg:
        forecast = lg.add(question, forecaster, prompt=_prompt if _interactive() else None, confirm_new=_confirm_new, **typed,
                          **{k: v for k, v in described.items() if v is not None})
    _say(f"recorded forecast {forecast.id} on {forecast.question_id} by {forecast.forecaster_id}: {forecast.probability:.0%}")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _prompt(label: str) -> str:
    from ledger.cli.output import printable

    return typer.prompt(printable(label))


def _confirm_new(kind: str, ident: str, near: list[str]) -> bool:
    """Say that `add` is about to create a record, with the ids it might have meant; on a terminal,
    an id close to existing ones is created only when the user says so."""
    close = f" (close to {', '.join(repr(n) for n in near)}, already in the ledger)" if near else ""
    _say(f"new {kind} {ident!r}{close}", err=True)
    return not (near and _interactive()) or typer.confirm(f"Create {kind} {ident!r}?", default=False, err=True)


@_command(app, question="QUESTION", outcome="OUTCOME", correction="--correct", on="--on", occurred_on="--on", quote="--quote")
def resolve(
    question: str = typer.Argument(..., help="Question id."),
    outcome: str = typer.Argument(..., help="yes/no, the date it happened, an option, annulled or ambiguous."),
    on: Optional[str] = typer.Option(None, "--on", help="Date it happened (default: today; a date question's outcome is its date)."),
    evidence: Optional[str] = typer.Option(None, "--evidence", help="Source id or URL that settles it."),
    evidence_quote: Optional[str] = typer.Option(None, "--quote", help="The evidence's words."),
    note: Optional[str] = typer.Option(None, "--note", help="A note on the resolution."),
    correct: bool = typer.Option(False, "--correct", help="Record a correction of an earlier resolution (kept in the history)."),
) -> None:
    """Record a question's outcome; a correction never overwrites, it adds to the history."""
    with _ledger() as lg:
        before = lg.question(question)["resolutions"]
        current = lg.resolve(question, outcome, on=_date(on, "on"), evidence=evidence, quote=evidence_quote, note=note, correct=correct)
    if len(before) == current.sequence:
        _say(f"{question} already has this resolution; nothing changed")
    else:
        _say(f"{question}: {'corrected to' if correct else 'resolved as'} {current.outcome}")


@_command(app, forecast="FORECAST")
def void(
    forecast: str = typer.Argument(..., help="Forecast number (from `ledger list`) or key."),
    reason: str = typer.Option(..., "--reason", help="Why: which condition failed."),
    on: Optional[str] = typer.Option(None, "--on", help="Date the condition failed (default: today)."),
) -> None:
    """Void a conditional forecast whose condition failed: kept, never scored."""
    with _ledger() as lg:
        row = lg.void(forecast, reason=reason, on=_date(on, "on"))
    _say(f"voided forecast {row.id} ({row.forecaster_id} on {row.question_id}): {reason}")


# --- reading ---------------------------------------------------------------------------------------

LIST_DROPPED_FIRST = ("voided", "basis", "source", "made_on")  # to fit a narrow terminal


@_command(app, "list")
def list_(
    status: Optional[Status] = typer.Option(None, "--status", help="Only questions in this state."),
    forecaster: Optional[str] = typer.Option(None, "--forecaster", help="Only this forecaster's forecasts."),
    source: Optional[str] = typer.Option(None, "--source", help="Only forecasts from this source."),
    tag: Optional[str] = typer.Option(None, "--tag", help="Only questions with this tag."),
    question: Optional[str] = typer.Option(None, "--question", help="Only forecasts on this question."),
    limit: Optional[int] = typer.Option(None, "--limit", parser=_whole, metavar="N", help="At most this many rows."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """List forecasts with their question's status."""
    from ledger.db.queries import LIST_COLUMNS

    with _ledger() as lg:
        rows = lg.forecast_rows(status=status.value if status else None, forecaster=forecaster, source=source, tag=tag,
                                question=question, limit=limit)
    _print(rows, fmt.value, LIST_COLUMNS if fmt.value == "table" else None, drop_first=LIST_DROPPED_FIRST)


@_command(app, question="QUESTION")
def show(question: str = typer.Argument(..., help="Question id."), fmt: OutputFormat = FormatOption) -> None:
    """A question with all its forecasts and its resolution history."""
    with _ledger() as lg:
        detail = lg.question(question)
    if fmt == "json":
        import json

        _echo(json.dumps(detail, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        _print(detail["forecasts"], "csv")
        return
    head = [f"{detail['id']} [{detail['kind']}, {detail['status']}]: {detail['text']}"]
    for label in ("criteria", "resolve_by", "options", "tags"):
        if detail[label]:
            value = ", ".join(detail[label]) if isinstance(detail[label], list) else detail[label]
            head.append(f"  {label}: {value}")
    crowd = detail["crowd"]
    if crowd:
        head.append(f"  crowd: median {crowd['median']:.0%} of {crowd['forecasters']} forecaster{'s' if crowd['forecasters'] != 1 else ''}' "
                    f"latest forecasts; middle half {crowd['quartile_low']:.0%}–{crowd['quartile_high']:.0%}, "
                    f"range {crowd['lowest']:.0%}–{crowd['highest']:.0%}")
    from ledger.cli.output import paragraphs

    _echo(paragraphs(head, wide=State.wide))
    columns = ("id", "forecaster", "source", "made_on", "probability", "basis", "claim", "condition", "voided", "superseded")
    _print(detail["forecasts"], "table", columns, "Forecasts", ("made_on", "source"))
    _print(detail["resolutions"] or [], "table", ("sequence", "outcome", "on", "evidence", "note", "recorded_at", "correction"), "Resolution history")


@_command(app)
def due(
    within: int = typer.Option(0, "--within", parser=_whole, metavar="DAYS", help="Also questions due within this many days."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Questions waiting to be resolved: past their resolve-by date (or due soon with --within)."""
    with _ledger() as lg:
        rows = lg.due(within)
    _print(rows, fmt.value, ("question", "text", "kind", "resolve_by", "days_overdue", "forecasts", "status"), drop_first=("kind", "status"))


@_command(app)
def forecasters(fmt: OutputFormat = FormatOption) -> None:
    """The forecasters in the ledger, with their number of forecasts."""
    with _ledger() as lg:
        _print(lg.forecasters(), fmt.value, ("id", "name", "affiliation", "kind", "forecasts"), drop_first=("kind",))


@_command(app)
def sources(fmt: OutputFormat = FormatOption) -> None:
    """The sources in the ledger, with their number of forecasts."""
    with _ledger() as lg:
        _print(lg.sources(), fmt.value, ("id", "title", "publisher", "published_on", "kind", "url", "forecasts"), drop_first=("url", "kind"))


# to fit a narrow terminal, these go first, in this order
REPORT_DROPPED_FIRST = ("relative", "calibration", "log", "band range", "skill", "void", "rel. skill", "baseline", "peer", "day brier")


@_command(app, sort="--sort")
def report(
    by: Grouping = typer.Option("forecaster", "--by", help="Group rows by this."),
    min_n: int = typer.Option(5, "--min-n", parser=_whole, metavar="N", help="Below this many scored forecasts a row is flagged as too few to judge."),
    latest: bool = typer.Option(False, "--latest", help="Score only each forecaster's latest forecast per question."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Score the ledger as it stood on this date."),
    sort: Optional[str] = typer.Option(None, "--sort", help="Rank by this column of `--format json` (default: brier; "
                                       "scores rank best first, so peer and baseline highest first)."),
    fmt: ReportFormat = typer.Option("table", "--format", "-f", help="Output format; json and csv carry every column, html is one "
                                     "self-contained page to share (leaderboard, charts, every forecast and question)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of standard output."),
    page_title: Optional[str] = typer.Option(None, "--title", help="The HTML page's title (default: a plain description)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """A leaderboard per forecaster (or source, publisher, tag, phrase, question, horizon): Brier with a
    bootstrap interval, day-by-day Brier, Metaculus peer and baseline scores, relative skill, log
    score, calibration and the verbal-band sensitivity; too few forecasts to rank are listed last. With
    --format html, the whole report as one page to share."""
    from ledger.cli.output import render
    from ledger.cli.progress import Progress
    from ledger.scoring.leaderboard import title
    from ledger.scoring.reports import TABLE_COLUMNS, as_rows, table_rows

    if fmt.value == "html":
        if by.value != "forecaster":
            from ledger.errors import InvalidInput

            raise InvalidInput("the HTML page reports by forecaster; --by works with the text formats", field="by")
        with _ledger() as lg:
            page = lg.report_html(output, min_n=min_n, latest=latest, as_of=_date(as_of, "as_of"), title=page_title)
        if output is None:
            _echo(str(page))
        else:
            _say(f"wrote {page}", err=True)
        return
    with _ledger() as lg, Progress.for_terminal("reading forecasts", 3, quiet, unit="steps") as progress:
        frame = lg.scores(by.value, min_n=min_n, latest=latest, as_of=_date(as_of, "as_of"), sort=sort, progress=progress.advance,
                          columns=TABLE_COLUMNS if fmt.value in ("table", "markdown") else None)
    if fmt.value in ("table", "markdown"):
        heading = title(by.value, sort, min_n)
        text = render(table_rows(frame, by.value, sort), fmt.value, None, heading, wide=State.wide or output is not None,
                      drop_first=REPORT_DROPPED_FIRST)
        # a markdown table has no title of its own: which score ranks it goes above
        _emit(f"{heading}:\n\n{text}" if fmt.value == "markdown" else text, output, lg)
    else:
        _emit(render(as_rows(frame), fmt.value, list(frame.columns)), output, lg)


def _emit(text: str, output: Optional[Path], lg) -> None:
    """Print `text`, or write it atomically to `output` and say so on standard error."""
    if output is None:
        _echo(text)
        return
    lg.write(output, text)
    _say(f"wrote {output}", err=True)


@_command(app)
def pairwise(
    forecaster: Optional[str] = typer.Option(None, "--forecaster", help="Only the comparisons of this forecaster."),
    latest: bool = typer.Option(False, "--latest", help="Score only each forecaster's latest forecast per question."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Compare the ledger as it stood on this date."),
    fmt: TableFormat = typer.Option("table", "--format", "-f", help="Output format."),
) -> None:
    """Pairwise comparisons on day-by-day Brier: for each two forecasters sharing resolved questions,
    the ratio of their mean scores there (below 1: the first is better) and a sign test's p-value."""
    from ledger.scoring.reports import as_rows

    with _ledger() as lg:
        table = lg.pairwise(forecaster=forecaster, latest=latest, as_of=_date(as_of, "as_of"))
    _print(as_rows(table), fmt.value, list(table.columns), "Pairwise comparisons (ratio below 1: forecaster better than other)")


@_command(app, method="--method", forecaster="--as", as_of="--as-of")
def aggregate(
    method: Method = typer.Option("median", "--method", help="How the forecasts are combined (docs/scoring.md)."),
    as_: str = typer.Option(..., "--as", help="Id of the aggregate forecaster that records the crowd forecast."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Only forecasts made on or before this date (default: all)."),
    exponent: Optional[float] = typer.Option(None, "--exponent", parser=_real, metavar="NUMBER",
                                             help="Extremizing exponent for --method extremized (default 2.5)."),
) -> None:
    """Record the crowd's forecast on every binary question: the combination of the other forecasters'
    latest forecasts, as forecasts by an aggregate forecaster; running it again replaces them."""
    with _ledger() as lg:
        done = lg.aggregate(method.value, as_, as_of=_date(as_of, "as_of"), exponent=exponent)
    replaced = f", replacing {done['replaced']}" if done["replaced"] else ""
    _say(f"recorded {done['questions']} {done['method']} forecasts as {done['forecaster']}{replaced}")


@_command(app)
def calibration(
    forecaster: Optional[str] = typer.Option(None, "--forecaster", help="Only this forecaster's forecasts."),
    bins: int = typer.Option(10, "--bins", parser=_whole, metavar="N", help="Number of equal bins from 0 to 100%."),
    latest: bool = typer.Option(False, "--latest", help="Only each forecaster's latest forecast per question."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The ledger as it stood on this date."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Also write a calibration chart to this PNG file."),
    by: Optional[Period] = typer.Option(None, "--by", help="One table per year or quarter in which the forecasts were made."),
    fmt: TableFormat = typer.Option("table", "--format", "-f", help="Output format."),
) -> None:
    """Calibration table: per probability bin, the mean forecast, how often it happened ("7 of 12
    happened") and a Wilson 95% interval."""
    import importlib.util

    from ledger.errors import InvalidInput
    from ledger.scoring.reports import as_rows, plot_calibration

    if plot is not None and importlib.util.find_spec("matplotlib") is None:  # said before any work is done
        raise InvalidInput("charts need matplotlib: pip install 'ledger[plot]'", field="plot")
    if plot is not None and not Path(os.path.realpath(plot)).parent.is_dir():  # (Path.resolve raises on a symlink loop)
        raise InvalidInput(f"cannot write {plot} (no such folder); give a file in a folder that exists", field="plot")
    with _ledger() as lg:
        table = lg.calibration(bins, forecaster=forecaster, latest=latest, as_of=_date(as_of, "as_of"), by=by.value if by else None)
    scored = int(table["n"].sum())
    title = f"Calibration: {forecaster or 'all forecasters'} ({scored} scored forecast{'' if scored == 1 else 's'})"
    if fmt.value != "table":
        _print(as_rows(table), fmt.value, list(table.columns), title)
    elif by is None:
        _print(_calibration_rows(table), "table", None, title)
    else:
        for period, part in table.groupby("period", sort=True):
            _print(_calibration_rows(part), "table", None, f"Calibration: {forecaster or 'all forecasters'}, forecasts made in {period} "
                                                           f"({int(part['n'].sum())} scored)")
    if plot is not None:
        lg.write(plot, plot_calibration(table, title), field="plot")
        _say(f"wrote {plot}", err=True)


def _calibration_rows(table) -> list[dict]:
    """The calibration table for reading: bins with forecasts only, in words; JSON and CSV carry
    every bin and column."""
    return [{"forecast": row["bin"], "n": row["n"], "mean forecast": f"{row['mean_forecast']:.0%}",
             "happened": f"{row['happened']} of {row['n']}", "share": f"{row['observed']:.0%}",
             "95% interval": f"{row['observed_low']:.0%}–{row['observed_high']:.0%}"}
            for row in table.to_dict(orient="records") if row["n"]]


@_command(app)
def extract(
    article: Path = typer.Argument(..., help="A plain-text article."),
    source_id: Optional[str] = typer.Option(None, "--source-id", help="Id for the article's source (default: from the file name)."),
    title: Optional[str] = typer.Option(None, "--title", help="The article's title (default: its first sentence)."),
    publisher: Optional[str] = typer.Option(None, "--publisher", help="Who published it."),
    published_on: Optional[str] = typer.Option(None, "--published-on", help="Publication date (default: the article's own, else today, marked as estimated)."),
    url: Optional[str] = typer.Option(None, "--url", help="Where it was published."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the draft here instead of standard output."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what was found and why, as a table, instead of the draft."),
) -> None:
    """Draft the forecasts of an article as an import file to review, matching questions the ledger holds."""
    from ledger.api import has_ledger
    from ledger.extract import draft_yaml
    from ledger.io.files import write_atomic

    options = dict(output=output, source_id=source_id, title=title, publisher=publisher,
                   published_on=_date(published_on, "published_on"), url=url)
    write = write_atomic
    if not has_ledger(State.db):
        found, text = draft_yaml(article, **options)  # no ledger here yet: nothing to match against
    else:
        with _ledger() as lg:
            found, text = lg.extract(article, **options)
        write = lg.write
    for warning in found.warnings:
        _say(f"warning: {warning}", err=True)
    if dry_run:
        rows = [{"quote": d.quote, "speaker": d.speaker.name, "phrase": d.phrase, "question": d.question_id,
                 "matched": d.matched, "why": d.reason} for d in found.drafts]
        _print(rows, "table", None, f"{len(rows)} draft forecasts in {article.name}", ("matched",), formats=False)
    elif output is None:
        _echo(text)
    else:
        write(output, text)
        _say(f"wrote {len(found.drafts)} draft forecasts to {output}; review them, then `ledger import {output}`", err=True)


def main() -> None:
    # A command's first act is loading its libraries (pandas, SQLAlchemy): hundreds of thousands of
    # objects that all live until the process ends, which the default thresholds would have the
    # collector trace again and again (a fifth of pandas' import time). Collections still run, rarely.
    gc.set_threshold(100_000, 50, 50)
    if sys.stderr is None:  # started with 2>&-: messages go nowhere, as asked
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - open until the process ends
    if sys.stdout is None:  # started with >&-: refused before anything is read or written
        _say("error: standard output is closed; send it somewhere (> FILE, or > /dev/null to drop it)", err=True)
        _leave(1)
    for stream in (sys.stdout, sys.stderr):  # a terminal or pipe in an encoding without a character shows its escape
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app(prog_name="ledger")
    except SystemExit as done:  # how every command ends (standalone click); anything else goes on to a traceback
        status = done.code
    else:
        status = 0
    finally:
        # The process ends here. Frozen, the objects of the libraries loaded (pandas, SQLAlchemy) are
        # not traced again by the interpreter's closing collections, which would take up to 70 ms.
        gc.freeze()
    _leave(status)


def _leave(status) -> NoReturn:
    """End the process with `status` (an exit code, None or a message) without the interpreter's
    teardown of the modules loaded, which takes pandas and SQLAlchemy another 50 ms. Nothing is
    left to end: every command has closed its database connections (SQLite's last close folds the
    write-ahead log into the file) and written its files whole; the output is flushed here."""
    if not isinstance(status, int):
        if status is not None:
            print(status, file=sys.stderr)
        status = 0 if status is None else 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError, AttributeError):  # a reader that stopped early
            stream.flush()  # (`ledger report | head`), a closed stream, none at all (>&-)
    os._exit(status)
