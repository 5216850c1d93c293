"""The operation's life beyond the week: integrity after faults, closing, retention, erasure."""
