"""The Sessions tab: logging a contact by keyboard, and the sessions so far."""
