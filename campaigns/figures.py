"""Small helpers for the figures shown to staff, shared by every screen that shows them."""


def rate(part, whole):
    """`part` as a percentage of `whole`, to one decimal place; None when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else None
