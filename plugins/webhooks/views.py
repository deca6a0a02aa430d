from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.platform.plugins import is_enabled

from .delivery import replay
from .models import Delivery

REPLAY_PERMISSION = "webhooks.change_delivery"


class EnabledOnlyMixin:
    """Admin views of this plugin answer 404 while the plugin is disabled."""

    def dispatch(self, request, *args, **kwargs):
        if not is_enabled("webhooks"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def replay_view(request, pk):
    """GET: confirm. POST: queue the same delivery (same delivery id) for the
    worker; nothing is sent inside this request."""
    if not is_enabled("webhooks"):
        raise Http404
    if not request.user.has_perm(REPLAY_PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)
    from .wagtail_hooks import delivery_admin

    index_url = delivery_admin.url_helper.index_url
    if request.method == "POST":
        if replay(delivery):
            messages.success(
                request,
                _("Pengiriman %(id)s diantrekan untuk dikirim ulang.")
                % {"id": delivery.delivery_id},
            )
        else:
            messages.warning(
                request,
                _("Pengiriman %(id)s sedang dikirim; coba lagi setelah selesai.")
                % {"id": delivery.delivery_id},
            )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "webhooks/replay_confirm.html",
        {"delivery": delivery, "index_url": index_url},
    )
