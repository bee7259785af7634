"""Tools around the caseload: the synthetic demo, the bench, importing people from a GP
system search, and the Linux menu entry."""
