"""layers/core."""
