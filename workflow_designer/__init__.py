"""Workflows and return policies, in three layers:

- ``engine``: the workflow config, its validation, compiler, firing and simulation;
- ``policy``: return-policy rules, their evaluation and explanation;
- ``runtime``: both applied to stored data (versions, RMAs, SLA, the outbox).

``engine`` and ``policy`` are pure (no Flask, no database); ``runtime`` uses SQLAlchemy
but never Flask. The designer's pages live in ``portal/designer/``. See
docs/architecture.md.
"""
