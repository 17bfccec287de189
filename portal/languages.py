"""The portal's languages, in one place: Finnish (the default), Swedish, English."""

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
