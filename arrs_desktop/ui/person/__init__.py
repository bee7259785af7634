"""The person area: the header, one folder per tab, and the person's dialogs."""
