"""The push payload and its Topic header."""

from __future__ import annotations

import json
import re

from server.notifications.sender import PAYLOAD_LIMIT, build_payload, topic_for

ICON = "/static/abc/icons/icon-192.png"


def test_payload_is_compact_json_with_every_field() -> None:
    payload = build_payload("Pesanan baru", "Kemeja, 24 pcs", "/orders/7", "order-7", ICON)

    assert payload == (
        '{"title":"Pesanan baru","body":"Kemeja, 24 pcs","url":"/orders/7",'
        '"tag":"order-7","icon":"/static/abc/icons/icon-192.png"}'
    )


def test_payload_keeps_non_ascii_text_as_utf8() -> None:
    payload = build_payload("Jahitan · 100%", "Ukuran “M”", "/", "", ICON)

    assert "·" in payload
    assert json.loads(payload)["body"] == "Ukuran “M”"


def test_long_body_is_cut_to_fit_with_an_ellipsis() -> None:
    body = "Kain batik tulis dari Solo, dijahit rapi. " * 200

    payload = build_payload("Pesan", body, "/orders/7", "order-7", ICON)

    data = json.loads(payload)
    assert len(payload.encode()) <= PAYLOAD_LIMIT
    assert len(payload.encode()) > PAYLOAD_LIMIT - 10
    assert data["body"].endswith("…")
    assert body.startswith(data["body"][:-1])
    assert data["title"] == "Pesan" and data["url"] == "/orders/7"


def test_long_multibyte_body_is_cut_by_bytes_not_characters() -> None:
    body = "🧵" * 2000  # four bytes each

    payload = build_payload("Benang", body, "/", "", ICON)

    assert len(payload.encode()) <= PAYLOAD_LIMIT
    assert json.loads(payload)["body"].startswith("🧵🧵🧵")


def test_short_body_is_untouched_at_the_limit() -> None:
    empty = build_payload("T", "", "/", "", ICON)
    body = "x" * (PAYLOAD_LIMIT - len(empty))

    assert json.loads(build_payload("T", body, "/", "", ICON))["body"] == body


def test_topic_is_the_tag_when_already_safe() -> None:
    assert topic_for("certificate") == "certificate"
    assert topic_for("order_42-offer") == "order_42-offer"


def test_topic_replaces_characters_outside_url_safe_base64() -> None:
    assert topic_for("order:42/status") == "order-42-status"
    assert topic_for("pesanan baru") == "pesanan-baru"


def test_long_tag_becomes_a_stable_32_character_topic() -> None:
    tag = "verification-queue-for-the-whole-of-west-java"

    topic = topic_for(tag)

    assert topic is not None
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", topic)
    assert topic == topic_for(tag)
    assert topic != topic_for(tag + "x")


def test_no_tag_means_no_topic() -> None:
    assert topic_for("") is None
