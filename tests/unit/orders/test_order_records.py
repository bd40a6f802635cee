"""Each order-domain record holds exactly its table's columns, so a column added to a table
cannot be forgotten by the record that services pass around."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from server.orders import records
from server.orders.tables import OrderMode, OrderStatus

RECORDS = [
    cls
    for cls in vars(records).values()
    if isinstance(cls, type) and issubclass(cls, records.Record) and cls is not records.Record
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda cls: cls.__name__)
def test_a_record_holds_every_column_of_its_table(record: type[records.Record]) -> None:
    columns = {column._meta.name for column in record.TABLE._meta.columns}
    fields = {field.name for field in dataclasses.fields(record)}  # type: ignore[arg-type]
    assert fields == columns
    assert [c._meta.name for c in record.columns()] == [
        f.name
        for f in dataclasses.fields(record)  # type: ignore[arg-type]
    ]


def test_a_row_becomes_a_frozen_typed_order() -> None:
    row = {field.name: None for field in dataclasses.fields(records.OrderRecord)}
    row.update(
        id=1,
        public_id=uuid4(),
        sizes='{"M": 3}',  # SQLite hands JSON back as text
        mode="direct",
        status="open",
        deadline=date(2027, 1, 5),
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    order = records.OrderRecord.from_row(row)
    assert order.sizes == {"M": 3}
    assert order.mode is OrderMode.DIRECT
    assert order.status is OrderStatus.OPEN
    with pytest.raises(dataclasses.FrozenInstanceError):
        order.title = "changed"  # type: ignore[misc]
