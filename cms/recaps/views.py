from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from . import exports
from .models import RekapKabupaten, RekapKecamatan
from .permissions import policy_for

TIERS = {"kecamatan": RekapKecamatan, "kabupaten": RekapKabupaten}


def unduh(request, tier, pk, fmt):
    """A recap as a file. A recap the user may not download does not exist
    for them (404), as a missing exporter does."""
    model = TIERS.get(tier)
    if model is None:
        raise Http404
    recap = get_object_or_404(model, pk=pk)
    if not policy_for(recap).user_can_download(request.user, recap):
        raise Http404
    exporter, data = exports.render(recap, fmt)
    if exporter is None:
        raise Http404
    response = HttpResponse(data, content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(recap, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
