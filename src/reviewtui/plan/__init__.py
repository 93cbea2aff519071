"""The alignment session: what each step needs, the plan checklist, local metric variants."""
