"""Multilingual full-text search with Whoosh; the database is the truth, the index follows it."""
