"""Adapters at the edge: the database mapping and engine set-up."""
