"""Known French banks' CSV export layouts, recognised without configuration."""

from __future__ import annotations

from .csv_releve import ProfilCsv

# Most specific first is not required: detection keeps the profile matching the most columns.
BANQUES: tuple[ProfilCsv, ...] = ()
