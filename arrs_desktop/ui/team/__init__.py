"""The team's views: one folder each (triage, follow-ups, care homes, community, reports,
the PCN's GP codes)."""
