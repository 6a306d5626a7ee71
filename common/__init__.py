"""Pieces every app shares and that know no app: the PDF engine, admin and form widgets, number formats, the
broker-down guard for publishing tasks and the e-mail outbox.

Nothing here imports a project app, so any app may import it without an arrow pointing back up.
"""
