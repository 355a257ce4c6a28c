"""Demo content for the resources app."""


def seed(out):
    pass
