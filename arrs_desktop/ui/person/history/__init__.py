"""The History tab: every audit line about the person."""
