"""`ledger extract`: draft the forecasts of a plain-text article for a person to review.

Rules, not a model: offline, deterministic, a few milliseconds per article. The modules, in the
order an article goes through them: sentences (split, with offsets), clauses (one claim each, and what
is not a forecast), hedges and numbers (the words that set a probability), speakers (who says it),
dates (publication date and windows), questions (draft question, matching the ledger's), drafts (the
whole pass and the import file). What it reads and what it cannot is in docs/extract.md.
"""

from ledger.extract.drafts import Draft, Extraction, draft_yaml, extract
from ledger.extract.speakers import Speaker

__all__ = ["Draft", "Extraction", "Speaker", "draft_yaml", "extract"]
