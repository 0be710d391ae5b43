"""Notifications: the outbox, channels (in-app, e-mail, chat webhook), reminders and escalation."""
