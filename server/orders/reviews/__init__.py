"""Ratings after completion: each side rates the other once, within 14 days."""
