from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cms.accounts.auth import accepts_bearer_token

from . import exports, files
from .models import RekapKabupaten, RekapKecamatan
from .permissions import policy_for

TIERS = {"kecamatan": RekapKecamatan, "kabupaten": RekapKabupaten}


def _private(response, recap, fmt):
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(recap, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@accepts_bearer_token
def unduh(request, tier, pk, fmt):
    """A recap as a file. A recap the user may not download does not exist
    for them (404), as a missing exporter does.

    An approved recap answers its stored file (made once after approval,
    cms/recaps/files.py) with the file's SHA-256 in `X-Checksum-SHA256`;
    until that file exists, and for drafts, the document is rendered now.
    The app sends its bearer token, as for report attachments."""
    model = TIERS.get(tier)
    if model is None:
        raise Http404
    recap = get_object_or_404(model, pk=pk)
    if not policy_for(recap).user_can_download(request.user, recap):
        raise Http404
    if recap.is_final and (row := files.stored(recap, fmt)) is not None:
        response = FileResponse(row.berkas.open("rb"), content_type=row.content_type)
        response["X-Checksum-SHA256"] = row.checksum
        return _private(response, recap, fmt)
    exporter, data = exports.render(recap, fmt)
    if exporter is None:
        raise Http404
    return _private(HttpResponse(data, content_type=exporter.content_type), recap, fmt)
