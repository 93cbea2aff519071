"""The review: its sections' rules, its figures beside the last check-in, what stops signing."""
