"""Exports: report rows and écritures written to xlsx and journal CSV files."""
