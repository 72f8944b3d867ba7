"""People pages: `resident` (my data) and `professional` (caseload, profiles, measurements)."""
