"""Use cases: one function each, inside a unit of work."""
