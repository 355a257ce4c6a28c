"""StreamField blocks for resource pages. Every image needs alt text; documents are served through the counted download view."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageWithAltBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it. Required.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "resources/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, help_text="Names the video for screen-reader users.")
    video = EmbedBlock(help_text="A YouTube (no-cookie) or Vimeo link.")
    transcript = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        template = "resources/blocks/video.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(max_length=200, help_text="What the download is, e.g. 'Lesson plan (PDF)'.")
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "resources/blocks/download.html"


class TalkAboutItBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Talk about it", max_length=120)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "help"
        template = "resources/blocks/talk_about_it.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("help", "Where to get help"), ("warning", "Take care")],
        default="info",
    )
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "resources/blocks/callout.html"


class ResourceBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="resources/blocks/text.html")
    image = ImageWithAltBlock()
    video = VideoBlock()
    download = DownloadBlock()
    talk_about_it = TalkAboutItBlock()
    callout = CalloutBlock()
