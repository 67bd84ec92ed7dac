"""The closed sets of words a ledger uses. Nothing is imported here, so the CLI builds its choices
from the same lists the loaders, the models' users and the reports check against, at no start-up cost."""

SOURCE_KINDS = ("article", "report", "interview", "post", "book", "broadcast", "dataset", "other")
FORECASTER_KINDS = ("person", "organisation", "collective", "aggregate")  # aggregate: a crowd forecast the ledger computes
QUESTION_KINDS = ("binary", "date", "categorical")
VOID_OUTCOMES = ("annulled", "ambiguous")  # outcomes that settle a question without scoring it
STATUSES = ("open", "overdue", "resolved", *VOID_OUTCOMES)  # derived by resolution.status_expression
GROUPINGS = ("forecaster", "source", "publisher", "tag", "phrase", "question")  # what a report groups by
