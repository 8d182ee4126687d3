"""Demo data: a realistic eyewear distributor to explore and measure Rotaflow with."""

from portal.demo.loading import (
    DEFAULT_SEED,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SCALES,
    DemoScale,
    DemoSummary,
    load_demo,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "SCALES",
    "DemoScale",
    "DemoSummary",
    "load_demo",
]
