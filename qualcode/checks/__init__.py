"""Checks that run before anything leaves the project: `leaks` (identifying text left behind)."""
