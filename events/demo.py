"""Demo content for the events app."""


def seed(out):
    pass
