"""Clothing Line: certified tailors get to work."""

import os

# Piccolo finds its engine and app registry through this module.
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
