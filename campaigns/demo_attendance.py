"""Demo content: attendance."""


def seed(out):
    pass
