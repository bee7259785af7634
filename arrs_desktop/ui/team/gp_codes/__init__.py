"""The PCN's own GP codes."""
