"""Triage: people with needs and no open episode, to allocate."""
