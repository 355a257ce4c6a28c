"""Admin forms for images and documents: the file behind one used by a page for children is replaced only by a reviewer.

Wagtail builds every image and document form it shows (edit, upload, multiple upload) on the base classes
named by WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE (cms/settings/base.py). Images
and documents have no revisions or workflow, so a new file would change every page using it at once.
"""

from wagtail.documents.forms import BaseDocumentForm

from cms.forms import ImageForm
from resources.workflow import FILE_NEEDS_REVIEWER, childrens_page_using, may_replace_file


class ReviewedFileMixin:
    """Refuse a new file for an existing image or document used by a page for children, unless the user approves."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def clean(self):
        cleaned_data = super().clean()
        if "file" in self.changed_data and not may_replace_file(self.user, self.instance):
            page = childrens_page_using(self.instance)
            self.add_error("file", FILE_NEEDS_REVIEWER % {"title": page.get_admin_display_title()})
        return cleaned_data


class ReviewedImageForm(ReviewedFileMixin, ImageForm):
    """An image that can be read to its last pixel (cms.forms.ImageForm), its file replaced only as above."""


class ReviewedDocumentForm(ReviewedFileMixin, BaseDocumentForm):
    pass
