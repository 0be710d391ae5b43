"""Organisation: departments, employees and positions, roles, the reporting line, the business calendar."""
