"""The work lists: one line per order, for the tailor (Pekerjaan saya) and the designer
(Pesanan saya), with what to do next."""
