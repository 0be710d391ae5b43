"""Portal pages: leave."""
