"""Portal pages: attendance."""
