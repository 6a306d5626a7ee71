"""The fault suite runs only when asked for (`make faults`, or `-m faults`): it starts a whole stack of its own."""

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.faults.stack import Stack

REPORTERS = 20
OFFICERS = 3


def pytest_collection_modifyitems(config, items):
    if "faults" in (config.option.markexpr or ""):
        return
    selected = [item for item in items if "faults" not in item.keywords]
    deselected = [item for item in items if "faults" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(scope="session")
def stack():
    for tool in ("redis-server",):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed by the fault suite")
    folder = Path(tempfile.mkdtemp(prefix="qorgau-faults-"))
    running = Stack(folder)
    try:
        running.people = running.start(reporters=REPORTERS, officers=OFFICERS)
        yield running
    finally:
        running.stop()
        print(f"\nfault suite logs: {folder}")
