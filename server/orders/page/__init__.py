"""The order page, GET /orders/{id}, and its fragments: one address, shown as its viewer
needs it (the designer's status and offers, the tailor's offer or take action, the production
region both parties and admins poll)."""
