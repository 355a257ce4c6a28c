"""Every CSV export the admin offers is safe to open in a spreadsheet.

A value typed into a public form or carried in the schools register ("=HYPERLINK(…)", "+cmd|…", "@SUM(…)")
would otherwise run as a formula when staff open the export. Wagtail already writes XLSX cells as text;
for CSV, every text value that a spreadsheet would read as a formula is written with a leading apostrophe
(the usual defence, OWASP "CSV injection"). Installed once, on Wagtail's SpreadsheetExportMixin that every
listing, report and our own exports use, by CmsConfig.ready().
"""

import csv

from openpyxl import Workbook
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter, SpreadsheetExportMixin

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


class TitledExportMixin:
    """For a SpreadsheetExportMixin view: the file opens with rows saying what it holds (which campaign,
    which filter, when) and ends with a totals row, so a figure pasted from it still says where it came
    from. Every cell goes through the same preprocessing (and so the formula guard) as the rows."""

    def export_title_rows(self):
        """Lines of text written before the column headings, one cell each."""
        return []

    def export_totals_row(self, queryset):
        """A row (field → value) written after the data, or None."""
        return None

    def _title_row_dicts(self):
        first = self.list_export[0]
        rows = [{first: line} for line in self.export_title_rows()]
        return [*rows, {}] if rows else []

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        for row in self._title_row_dicts():
            yield self.write_csv_row(writer, row)
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))
        totals = self.export_totals_row(queryset)
        if totals:
            yield self.write_csv_row(writer, {f: totals.get(f, "") for f in self.list_export})

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        for row in self._title_row_dicts():
            worksheet.append(self.generate_xlsx_row(worksheet, row))
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        totals = self.export_totals_row(queryset)
        if totals:
            worksheet.append(
                self.generate_xlsx_row(worksheet, {f: totals.get(f, "") for f in self.list_export})
            )
        workbook.save(output)
