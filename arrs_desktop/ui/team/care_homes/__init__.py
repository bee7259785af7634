"""Care homes: overdue first, their details, contact log and residents."""
