"""What every page shares: the acting role, labels, date formats, the language."""
