"""Builders for tests, one per thing: places, people (tailor, designer, admin, and their
signed-in variants), orders in each state of their life, push subscriptions and outbox rows,
and the people behind every page of the browser tests."""
