"""One screen per step of the alignment session; each returns a `StepResult`."""
