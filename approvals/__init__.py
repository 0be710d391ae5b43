"""Approvals (電子決裁): documents of every kind, routes and steps, decisions, numbering, attachments, audit chain."""
