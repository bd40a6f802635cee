"""Demo data: the programme's first cohorts of tailors, its buyers and their orders, and its
admin, made up deterministically (`clothingline demo-data`). `plan` and `order_plan` build it in
memory, `load` and `order_load` write what is missing, `catalogue` holds the places, names and
words it is made of."""

from server.demo_data.load import Summary, load_demo_data
from server.demo_data.plan import Programme, build_programme

__all__ = ["Programme", "Summary", "build_programme", "load_demo_data"]
