"""The closed sets of words a ledger uses. Nothing is imported here, so the CLI builds its choices
from the same lists the loaders, the models' users and the reports check against, at no start-up cost."""

SOURCE_KINDS = ("article", "report", "interview", "post", "book", "broadcast", "dataset", "other")
FORECASTER_KINDS = ("person", "organisation", "collective", "aggregate")  # aggregate: a crowd forecast the ledger computes
QUESTION_KINDS = ("binary", "date", "categorical")
VOID_OUTCOMES = ("annulled", "ambiguous")  # outcomes that settle a question without scoring it
STATUSES = ("open", "overdue", "resolved", *VOID_OUTCOMES)  # derived by resolution.status_expression
GROUPINGS = ("forecaster", "source", "publisher", "tag", "phrase", "question", "horizon")  # what a report groups by
PERIODS = ("year", "quarter")  # what calibration is split by
AGGREGATE_METHODS = ("median", "mean", "geo-mean-odds", "extremized", "track-record")  # how `ledger aggregate` combines forecasts
