"""Check-ins: actuals against the plan over time, what the figures say, what a check-in records."""
