"""What every view uses: the change bus and the context views are given, forms and their
error messages, table models, background loading, widgets and the theme."""
