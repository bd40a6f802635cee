"""The programme's admin: the certificate verification queue, the directory, suspensions,
disputes to decide, phone number claims, the dashboard and training cohorts."""
