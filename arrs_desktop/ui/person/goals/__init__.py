"""The Goals tab: the person's goals, progress scores and a chart of each."""
