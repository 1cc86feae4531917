"""Opening the next year: pages (filled in below)."""
