"""Portal pages: account."""
