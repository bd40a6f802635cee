"""The payments record: the down payment and the final payment, marked paid by the
designer and confirmed by the tailor, with an optional transfer proof."""
