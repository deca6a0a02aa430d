from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class SikandaLoginForm(LoginForm):
    """Wagtail's sign-in form leaves the password field without a label, so
    Django prints the field name ("Password") in every language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Kata sandi")
