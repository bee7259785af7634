"""The caseload list on the left: search, filters and the paged table of people."""
