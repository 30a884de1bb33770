"""The alert service, for one failure test: while the file named by `VILLAGEWATCH_TEST_FAULT_FILE` exists, its
read of the alerts already published fails as a lost connection does (`ConnectionError`), on every try. The rest
is the real worker, run as `villagewatch service alert` runs it.

    python -m tests.e2e.flaky_alert   (with the service's VILLAGEWATCH_* settings in the environment)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from villagewatch.alert.published import PublishedLog
from villagewatch.cli import main

FAULT_FILE = Path(os.environ["VILLAGEWATCH_TEST_FAULT_FILE"])
_real_refresh = PublishedLog.refresh


async def _refresh_unless_cut_off(self: PublishedLog, assignment: frozenset[object]) -> None:
    if FAULT_FILE.exists():
        raise ConnectionError(f"injected by the test while {FAULT_FILE.name} exists: the broker cannot be reached")
    await _real_refresh(self, assignment)


if __name__ == "__main__":
    PublishedLog.refresh = _refresh_unless_cut_off  # type: ignore[method-assign]
    sys.exit(main(["service", "alert"]))
