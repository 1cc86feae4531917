"""Opening the next fiscal year from this one: its lines reviewed, its 본예산 imported, the 이월액 carried."""
