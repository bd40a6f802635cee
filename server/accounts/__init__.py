"""People: an account (tailor, designer or admin) with its WhatsApp number and language,
recovery codes, enrolment links, and the audit trail of what was decided about an account."""
