"""coopcompta: la comptabilité d'une coopérative scolaire OCCE, en ligne de commande."""

__version__ = "0.1.0"
