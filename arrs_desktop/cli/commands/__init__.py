"""Subcommands of `arrs`, one module each."""
