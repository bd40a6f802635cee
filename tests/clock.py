"""Moving the app's clock: every module that took `now` from server.clock reads a moment
`ahead` of the real one (a phone that comes back after hours without signal)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import pytest

from server import clock


def move_clock(monkeypatch: pytest.MonkeyPatch, ahead: timedelta) -> None:
    real = clock.now

    def moved() -> datetime:
        return real() + ahead

    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "now", None) is real:
            monkeypatch.setattr(module, "now", moved)
    monkeypatch.setattr(clock, "now", moved)
