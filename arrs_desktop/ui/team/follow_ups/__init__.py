"""Follow-ups: what is due today or overdue across the caseload."""
