"""The report as one page to share: a self-contained HTML file (styles, script and charts inline,
nothing fetched when it opens) rendered from the ledger with Jinja2, whose autoescaping makes every
quote, name and piece of evidence text, never markup.

    from ledger.page import render
    html = render("ledger.db", min_n=5)

`Ledger.report_html(path)` and `ledger report --format html -o report.html` call it.
"""

from __future__ import annotations

import datetime as dt

from ledger.scoring.reports import DEFAULT_MIN_N

TITLE = "Forecast ledger: who said what would happen, and how it turned out"


def render(db: str | None, *, min_n: int = DEFAULT_MIN_N, latest: bool = False, as_of: dt.date | None = None,
           title: str | None = None, today: dt.date | None = None) -> str:
    """The page's HTML for the ledger at `db` (options as for `reports.scores`)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from ledger import __version__
    from ledger.page.content import gather

    environment = Environment(loader=PackageLoader("ledger.page"), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=False, lstrip_blocks=False)
    content = gather(db, min_n=min_n, latest=latest, as_of=as_of, today=today)
    return environment.get_template("report.html.j2").render(title=title or TITLE, version=__version__, **content)
