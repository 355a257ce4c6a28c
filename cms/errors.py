"""The one domain error type. Services raise it with a message fit to show a user as it is."""


class ServiceError(Exception):
    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return self.message


class ServiceFormMixin:
    """For an admin create or edit view whose save calls a service: a ServiceError from the save becomes
    a form error (the database is left as it was), not a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = error.message
            return self.form_invalid(form)
