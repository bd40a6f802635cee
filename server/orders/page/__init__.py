"""The order page, GET /orders/{id}, and its fragments: one address, shown as its viewer
needs it (the designer's status and offers, the tailor's offer or take action, the production
region both parties and admins poll). Each takes an OrderRecord; `queries` reads what the page
shows beside it (the tailor's own offer and dispatch decision, the timeline), the other
stages' services the rest, and the page modules build typed views and render."""
