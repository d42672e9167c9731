"""Pages of the reporting app, split by area (inbox, reports, form designer)."""
