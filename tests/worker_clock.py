"""The suite's clock for the worker processes a test starts.

The suite believes it is 10:00 on its test day (tests/conftest.py), ticking; a worker process
started by a test must tell the same time, or the heartbeats it writes look minutes stale (or
fresh for ever) to the test that reads them, depending on the real time of day. The test passes
`clock_offset()` to the worker, whose script starts with `FOLLOW_SUITE_CLOCK`."""

import time

import time_machine


def clock_offset() -> float:
    """Seconds from the real clock to the suite's, as an argument for the worker."""
    return time.time() - time_machine.escape_hatch.time.time()


# First lines of a worker script: sys.argv[-1] is clock_offset().
FOLLOW_SUITE_CLOCK = """
import sys, time
import time_machine
time_machine.travel(time.time() + float(sys.argv[-1]), tick=True).start()
"""
