"""Demo content: bookings."""


def seed(out):
    pass
