"""The notification outbox (see notifications/services.py)."""
