"""Reads of the statistics area, in the three steps of `statistics.statistics_for`: `filters` (which snapshot
rows), `sums` (the counting), `tables` (the table objects, with small-cell suppression); `categories` says
what each table lists."""
