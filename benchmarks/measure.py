"""Run one command and print its wall time, CPU time (user + system) and peak RSS as JSON.

A separate, small launcher so that the peak RSS is the command's own: a child forked straight from
the benchmark process (which has pandas loaded) would inherit its memory figure until it execs.

    python benchmarks/measure.py COMMAND [ARGS...]
"""

import json
import os
import subprocess
import sys
import time

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                   "status": os.waitstatus_to_exitcode(status),
                  "stderr": child.stderr.read().decode(errors="replace")[-2000:]}))
