"""Field mode (issue 14): visiting teams record their visits from a phone.

- :mod:`.tables`: the team links, visits (check-in timers), queued actions (idempotency) and
  overdue alerts.
- :mod:`.clock`: the injectable clock every time rule reads.
- :mod:`.links`: which account belongs to which team.
- :mod:`.stops`: what a team may see of its own shift, and nothing else.
- :mod:`.actions`: applying a phone's queued actions exactly once, through the lifecycle.
- :mod:`.timers`: the overdue rule, alerts, acknowledgement and each team's state.
"""
