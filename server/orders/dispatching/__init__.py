"""Dispatch as the order domain runs it: the waves of alerts, widening the radius when
nobody answers, the candidates read from the tables, and the report of why an order did or did
not reach each tailor. Who may have an order, and in what order, is decided by the pure policy
in server.dispatch."""
