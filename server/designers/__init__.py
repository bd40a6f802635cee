"""The designer's (or brand's) profile: business name and type, city and logo."""
