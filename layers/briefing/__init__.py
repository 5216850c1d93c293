"""layers/briefing."""
