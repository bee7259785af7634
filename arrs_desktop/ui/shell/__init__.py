"""The window around the views: starting the app, the main window that composes and
connects them, its menus and commands (files, safety, daily work), lock, help, settings."""
