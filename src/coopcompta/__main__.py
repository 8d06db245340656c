"""`python -m coopcompta` runs the `coop` command."""

from coopcompta.cli import main

main()
