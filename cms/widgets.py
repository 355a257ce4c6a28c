"""Form widgets shared by the public and staff forms."""

import re

from django import forms

# What HTML allows in the value of a number box: a plain decimal, optionally signed, with an exponent.
_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")


class CountInput(forms.NumberInput):
    """A number box for counts. Text that is not a number (sent by a script or an old browser) comes
    back as an empty box beside the field's error message, since a number box cannot show it."""

    def format_value(self, value):
        value = super().format_value(value)
        if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
            return None
        return value
