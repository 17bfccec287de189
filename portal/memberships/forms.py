from flask_wtf import FlaskForm


class DeactivateForm(FlaskForm):
    """The confirmation page's button: only its CSRF token."""
