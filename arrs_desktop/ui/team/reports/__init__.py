"""Reports: the period's tables and charts, and exporting them."""
