"""Cost sharing between the parties (R9)."""
