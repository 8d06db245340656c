"""The pure domain: money, model, chart, écritures, categorisation, checks, reports, closing rules.

Nothing here opens a file, a database or a terminal."""
