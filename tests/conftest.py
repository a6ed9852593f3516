import os

import pytest
from hypothesis import HealthCheck, settings

# derandomized: the same examples on every run, so a CI result cannot flake (the standards'
# fixed-seed rule); a new draw is a deliberate change of the profile or the seed
settings.register_profile("ci", deadline=None, max_examples=40, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session", autouse=True)
def numba_warm_up():
    """Compile or load every Numba kernel once per session (disk cache)."""
    from sketchopt._warmup import warm_up
    warm_up()
