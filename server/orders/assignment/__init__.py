"""The order gets its tailor: the designer accepts an offer (Penawaran) or the first
eligible tailor takes it (Langsung); production starts in the same transaction."""
