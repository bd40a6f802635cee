"""Dispatch as a pure policy: who may get an order, and in what order (rules.py), which H3
cells can hold a tailor within a distance (cells.py), and the rule that keeps one tailor from
one order (eligibility.py). No tables, no alerts: the order domain reads the candidates and
sends the waves (server/orders/dispatching/)."""
