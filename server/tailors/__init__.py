"""The tailor's side of the programme: onboarding (place, skills, capacity, portfolio),
the SKKNI certificate and its verification state, the availability switch, and the tailor's
share of housekeeping (lapsed certificates)."""
