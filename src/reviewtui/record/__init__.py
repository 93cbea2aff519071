"""A record in words: Markdown and JSON, the JSON Schema, what an archive commit says."""
