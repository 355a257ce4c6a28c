"""The base of every image form in the admin (add, add multiple, edit, the chooser's upload): an image is
accepted only if it can be read to its last pixel.

Wagtail checks the extension, the size, the format in the file's first bytes and the pixel count (so a
decompression bomb is refused before anything is decoded); a file whose first bytes are right but which is cut
short or damaged would pass those checks and break later, when its renditions are made. This form decodes it
once, on upload, and refuses it with a message instead. resources.forms builds the review of replaced files
on top.
"""

from django import forms
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

UNREADABLE_IMAGE = (
    "This image cannot be read: the file may be damaged or only partly uploaded. "
    "Save it again from the original and upload that."
)


def check_image_decodes(uploaded):
    """Raise ValidationError unless every pixel of the uploaded image can be decoded."""
    uploaded.seek(0)
    try:
        with PILImage.open(uploaded) as image:
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                image.load()
    except PILImage.DecompressionBombError:
        raise forms.ValidationError("This image has too many pixels to be used.") from None
    except Exception:  # Pillow reports damaged data with many kinds of error.
        raise forms.ValidationError(UNREADABLE_IMAGE) from None
    finally:
        uploaded.seek(0)


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, refusing with a message a file that fails its checks with an error of the image
    library's own (a damaged file can, when its size is read) or that does not decode to its last pixel."""

    def to_python(self, data):
        try:
            uploaded = super().to_python(data)
        except forms.ValidationError:
            raise
        except Exception:  # Pillow reports damaged data with many kinds of error.
            raise forms.ValidationError(UNREADABLE_IMAGE) from None
        if uploaded is not None:
            check_image_decodes(uploaded)
        return uploaded


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail makes the field itself (and leaves it out of some forms): keep it, with the decoding check.
        if type(field) is WagtailImageField:
            field.__class__ = DecodedImageField
