"""Static files in production: whitenoise's compressed storage with content-hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed, and without rewriting JavaScript source-map comments.

    Django's manifest storage rewrites `//# sourceMappingURL=...` in every .js file and fails collectstatic when
    the map is missing. The vendored Chart.js (static/vendor/chartjs/) ends with such a comment and its map is
    not vendored, so without this `bin/serve` cannot start. A browser asks for a map only with its developer
    tools open (then it gets a 404); the CSS rules, url() and @import, are kept.
    """

    patterns = tuple((glob, rules) for glob, rules in CompressedManifestStaticFilesStorage.patterns if glob != "*.js")
