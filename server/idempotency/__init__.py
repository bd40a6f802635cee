"""One-shot actions done once: a form's key, minted into a hidden field or sent as an
Idempotency-Key header, makes a double tap or a replay get the first answer again."""
