"""결산: the year-end settlement, prepared by finance staff and approved by the finance lead."""
