"""dashboard/api."""
