"""The team view over many records: calibration, the report in words, history, timelines."""
