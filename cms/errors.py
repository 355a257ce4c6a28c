"""The one domain error type. Services raise it with a message fit to show a user as it is."""


class ServiceError(Exception):
    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return self.message
