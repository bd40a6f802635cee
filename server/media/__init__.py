"""Photos: checked, decoded within bounded memory, re-encoded to WebP, stored, served to
whoever may see them, and swept when nothing uses them any more."""
