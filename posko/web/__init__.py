"""The citizens' status page (`posko serve`)."""
