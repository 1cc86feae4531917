"""월별 집행계획: the plan sheet by line and month, its rules and its save."""
