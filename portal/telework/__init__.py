"""Portal pages: telework."""
