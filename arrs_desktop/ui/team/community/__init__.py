"""Community: the local groups and services people are referred to."""
