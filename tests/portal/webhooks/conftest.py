"""Fixtures of the webhook tests: a real HTTP receiver, a clock, a sender, the worlds."""

from tests.portal.webhooks.helpers import clock, make_sender, receiver  # noqa: F401
from tests.shop import awaiting, shop  # noqa: F401 — shared fixtures
from tests.world import fresh_machine_cache, world  # noqa: F401 — shared fixtures
