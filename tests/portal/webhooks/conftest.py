"""Fixtures of the webhook tests: the worlds."""

from tests.shop import awaiting, shop  # noqa: F401 — shared fixtures
from tests.world import fresh_machine_cache, world  # noqa: F401 — shared fixtures
