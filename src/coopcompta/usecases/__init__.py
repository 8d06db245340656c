"""Use cases: one module per thing a treasurer does; each opens the ledger, calls the domain."""
