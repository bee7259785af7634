"""Reports as people read them: the report tables with their titles and labels, the exports,
and the care and support plan (pure Python, no Qt: the window and the commands share it)."""
