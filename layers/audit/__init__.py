"""layers/audit."""
