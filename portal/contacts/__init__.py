"""Contact persons of each party, per agreement, and the written notice of their changes (R2)."""
