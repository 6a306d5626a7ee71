"""The sums behind the tables (`analytics/selectors/sums.py`)."""

import pytest

from analytics.selectors.sums import percentile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_suppression")]


def test_percentile_is_nearest_rank():
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.9) == 4
    assert percentile({5: 10}, 0.9) == 5
    assert percentile({}, 0.5) is None
    assert percentile({i: 1 for i in range(1, 11)}, 0.9) == 9
