"""Notifications: what happened, for one person, in the app and on their devices.

- services.py: `notify()`, the one way in for every domain. In the caller's transaction it
  writes the in-app `Notification` and, unless the person turned the kind off or the hourly
  cap is reached, one outbox `Delivery` per address they have on each channel, held until
  their quiet hours end when the kind waits for them (kinds.py).
- tables.py: `Notification`, the outbox `Delivery` (its `Channel`, its status, attempts and
  due time; the push channel's address is `push_subscription`), `PushSubscription`,
  `NotificationPreference`.
- outbox.py: what a channel is to the worker (`DeliveryChannel`, `Outgoing`, `Result`) and
  the one retry policy (backoff, dead-lettering after the last attempt).
- worker.py: claims due deliveries of the channels it sends (SKIP LOCKED on PostgreSQL),
  hands each to its channel, records the answers; puts back what a dead worker claimed.
- The push channel: sender.py (Web Push with VAPID; time to live and urgency per kind;
  what each answer of a push service means), endpoints.py (only browsers' push services,
  only public addresses), subscriptions.py (a signed-in session's device), vapid.py (keys).
- routes.py: the settings page, this browser's subscription and the in-app list, over
  inbox.py (the list), preferences.py (what someone wants alerted, and when), bell.py (the
  unread count in the header) and messages.py (the texts of refusals).

A second channel (SMS, WhatsApp) adds a `Channel` value, its address column on `Delivery` if
it needs one (with a migration), its recipients to services.RECIPIENTS and a module with its
`DeliveryChannel`, given to the worker beside the push sender; the claim, the retries and the
dead letters stay as they are.
"""
