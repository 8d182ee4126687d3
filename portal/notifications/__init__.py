"""Notifications: e-mail rendering, the outbox worker, in-app notifications, the mail sink."""
