"""Telework (テレワーク): the policy and its rules, requests, day reports, calendar, and each department's current
rollout phase (the gate of requests). The rollout's history, plans and figures are the rollout app's, above this one."""
