"""Portal pages of managers, HR and the secretariat (/manage/)."""
