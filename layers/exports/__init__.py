"""layers/exports."""
