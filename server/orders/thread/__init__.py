"""The message thread of an order, between its designer and its tailor; admins read it."""
