"""The Needs & match tab: what matters, needs, the roles ranked, allocation and episodes."""
