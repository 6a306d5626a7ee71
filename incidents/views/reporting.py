"""Views of the reporting flow: medical staff file, resume, and follow their reports."""
