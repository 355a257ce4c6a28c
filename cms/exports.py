"""Every CSV export the admin offers is safe to open in a spreadsheet.

A value typed into a public form or carried in the schools register ("=HYPERLINK(…)", "+cmd|…", "@SUM(…)")
would otherwise run as a formula when staff open the export. Wagtail already writes XLSX cells as text;
for CSV, every text value that a spreadsheet would read as a formula is written with a leading apostrophe
(the usual defence, OWASP "CSV injection"). Installed once, on Wagtail's SpreadsheetExportMixin that every
listing, report and our own exports use, by CmsConfig.ready().
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """The value as a spreadsheet shows it: text beginning like a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def install():
    if getattr(SpreadsheetExportMixin.preprocess_field_value, "neutralises_formulas", False):
        return
    original = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        prepared = original(self, field, value, export_format)
        return neutralise(prepared) if export_format == self.FORMAT_CSV else prepared

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
