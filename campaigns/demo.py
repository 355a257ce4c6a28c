"""Demo content for the campaigns app."""


def seed(out):
    pass
