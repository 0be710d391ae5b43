"""Rollout (導入推進): each department's phase history and plan, monthly adoption snapshots, the KPI, the national
survey and the dashboard. Above telework: it reads telework's requests and attendance's days, and moves a
department's phase (the gate of requests, kept in telework) through telework's service."""
