"""The law as data (`legal/statute.py`)."""

import pytest

from legal import statute


@pytest.mark.parametrize(("year", "mci"), [(2024, 3692), (2025, 3932), (2026, 4325), (2027, None)])
def test_mci_by_year(year, mci):
    assert statute.CURRENT.mci(year) == mci
