"""Workflows and policies on stored data: published versions, the compiled-machine cache,
firing transitions on stored RMAs, SLA escalation, outbox rows, policy facts.

SQLAlchemy, never Flask.
"""
