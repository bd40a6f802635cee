"""The order's life, from draft to finished, in one home.

Each stage of that life is a sub-package with its services (framework-free) and its routes:

- `posting/`: the designer's order form, drafts, publishing, editing, cancelling an open order,
  and taking a suspended designer's orders off the market.
- `offers/`: the tailors' side of an open order: the nearby feed, offers made, revised and
  withdrawn, and the designer's offers side by side.
- `assignment/`: the order gets its tailor (an offer accepted, a Langsung order taken).
- `dispatching/`: which tailors are alerted, wave by wave, and why; it calls the pure policy in
  `server.dispatch` and records its decisions.
- `production/`: the stages from materials to receipt, samples and their revisions.
- `payments/`: the down payment and the final payment, marked and confirmed.
- `thread/`: the messages between the order's designer and its tailor.
- `reviews/`: each side rates the other after completion.
- `cancellations/`: asking to cancel in production, and the dispute a refusal becomes.
- `lists/`: one line per order for the work lists (Pekerjaan saya, Pesanan saya).
- `page/`: the owner of the order page (GET /orders/{id}) and its fragments, as each viewer
  (designer, tailor, admin) needs it.

Shared by the stages: `tables.py` (every table of the order's life), `alerts.py` (what
people are told), `access.py` (which tailors may open and answer an order), `parties.py`
(who takes part after assignment), `housekeeping.py` (the domain's timed chores, composed in
`server/jobs.py`), `refusals.py` (every refusal of the order's life: code, HTTP status,
text).

The order domain builds on dispatch, notifications, accounts, auth, tailors, designers,
media, idempotency and web; none of those imports it (tests/unit/test_import_direction.py).
"""
