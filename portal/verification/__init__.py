"""The public verification page, /verify: anyone uploads a signed PDF and sees each signature's
verdict and whether this portal holds the very same file. Nothing is stored."""
