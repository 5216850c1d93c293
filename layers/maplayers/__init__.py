"""layers/maplayers."""
