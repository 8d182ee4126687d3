"""The JSON API under /api/v1: bearer tokens, problem+json errors, OpenAPI 3.1."""
