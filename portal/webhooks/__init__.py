"""Webhooks: admins subscribe URLs to events; deliveries are signed per the Standard
Webhooks spec and go through the outbox worker (docs/api.md, "Webhooks")."""
