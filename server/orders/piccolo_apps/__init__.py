"""The order domain's tables are registered with Piccolo as three apps, "orders", "dispatch"
and "tracking". The names are historical: each names a folder of migrations/ that already ran
on deployed databases, so they stay while the tables live together in `server/orders/tables.py`."""
