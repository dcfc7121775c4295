"""The party member register pages: administrators (any unit) and cell secretaries (their own cell)."""
