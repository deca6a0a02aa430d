from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm

from .models import PenilaianVerifikasi


class PersetujuanForm(TaskStateCommentForm):
    """Approving means grading: the verifier rates the source and the
    information (Admiralty code) as part of the approval."""

    keandalan_sumber = forms.ChoiceField(label=_("Keandalan sumber"))
    kredibilitas_informasi = forms.ChoiceField(label=_("Kredibilitas informasi"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No grade is preselected: the strongest grade must never be recorded
        # because nobody chose one.
        blank = [("", _("— pilih —"))]
        self.fields["keandalan_sumber"].choices = blank + PenilaianVerifikasi.Keandalan.choices
        self.fields["kredibilitas_informasi"].choices = (
            blank + PenilaianVerifikasi.Kredibilitas.choices
        )


class PerbaikanForm(TaskStateCommentForm):
    """Sending back without saying what to fix helps nobody: a comment is required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True


def form_for_action(action):
    return {"approve": PersetujuanForm, "reject": PerbaikanForm}.get(action)
