"""Static files storage for the demo (`make run`): as production's, and forgiving of files not collected yet."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class DemoStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Fingerprinted, gzip- and Brotli-compressed files from `collectstatic` (which `make run` runs).

    A file added since the last `collectstatic` keeps its plain name instead of failing the page: WhiteNoise
    then serves it from its app (WHITENOISE_USE_FINDERS), uncompressed, until the next `make run`.
    """

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest and not collected
            return name
