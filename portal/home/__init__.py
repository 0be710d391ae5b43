"""Portal pages: home."""
