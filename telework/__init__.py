"""Telework (テレワーク): the policy and its rules, requests, day reports, calendar, rollout phases and adoption."""
