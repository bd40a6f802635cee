"""Web helpers every domain uses: page-vs-fragment rendering, errors, security headers,
CSRF exemptions, rate limits, i18n, ETags, static assets and the PWA routes. It imports no
domain."""
