"""`python -m coopcompta` runs the `coop` command."""

from .cli import main

main()
