"""Posting an order: the designer's form and its checks, drafts, publishing (which starts its
dispatch), editing an open order, cancelling it, and withdrawing a suspended designer's orders."""
