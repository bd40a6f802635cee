"""An open order's market: the nearby feed a tailor reads, offers made, revised and
withdrawn, and the designer's offers side by side."""
