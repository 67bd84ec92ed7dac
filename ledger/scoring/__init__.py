"""Scoring: pure numpy functions for the maths (`rules`, `metaculus`, `standing`, `pairwise`,
`aggregation`) and the pandas reports built on them (`reports`)."""

import os

# The report's matrix products are small (a group's forecasts × 1,000 bootstrap resamples): OpenBLAS's
# thread pool costs more than it saves on them — on 2 cores the bootstrap of 100,000 forecasts takes
# 0.03 s on one thread and 0.1–0.2 s on two. Set before numpy is first imported; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
