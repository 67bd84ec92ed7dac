"""ledger: a prediction-tracking ledger that holds pundits' forecasts to account.

    from ledger import Ledger, LedgerError, NotFound, InvalidInput, Conflict

`Ledger` is loaded on first use, so that `import ledger` (and the CLI's start) stays light.
"""

from typing import TYPE_CHECKING, Any

from ledger.errors import Conflict, DatabaseError, InvalidInput, LedgerError, NotFound

__version__ = "0.1.0"
__all__ = ["Conflict", "DatabaseError", "InvalidInput", "Ledger", "LedgerError", "NotFound", "__version__"]

if TYPE_CHECKING:
    from ledger.api import Ledger


def __getattr__(name: str) -> Any:
    if name == "Ledger":
        from ledger.api import Ledger

        return Ledger
    raise AttributeError(f"module 'ledger' has no attribute {name!r}")
