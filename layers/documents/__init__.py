"""layers/documents."""
