"""The one GraphQL endpoint.

Authentication: `Authorization: Bearer <access token>` (device sessions,
cms.accounts.tokens) or, for the browser, the Django session. CSRF is
enforced for session-authenticated requests only: a bearer token is not sent
by the browser on its own, so it needs no CSRF protection; an anonymous
request carries no authority to protect."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError

from cms.accounts.auth import accepts_bearer_token

from .uploads import MultipartError, operations_from_multipart
from .validation import validation_rules


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


@method_decorator(csrf_exempt, name="dispatch")
class SikandaGraphQLView(GraphQLView):
    batch = False

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.SIKANDA_API["GRAPHIQL"])
        super().__init__(**kwargs)

    @property
    def validation_rules(self):
        return validation_rules()

    @validation_rules.setter
    def validation_rules(self, value):
        # graphene-django assigns this in __init__; ours is computed per request
        # so settings overrides (tests, environments) take effect.
        pass

    @method_decorator(accepts_bearer_token)
    def dispatch(self, request, *args, **kwargs):
        if request.device_session is None:
            if request.method == "POST" and request.user.is_authenticated:
                reason = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
                if reason:
                    return JsonResponse(
                        {
                            "errors": [
                                {
                                    "message": _("Pemeriksaan CSRF gagal."),
                                    "extensions": {"code": "CSRF"},
                                }
                            ]
                        },
                        status=403,
                    )
            if not request.user.is_authenticated:
                request.user = AnonymousUser()
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data" and "operations" in request.POST:
            try:
                return operations_from_multipart(request.POST, request.FILES)
            except MultipartError as exc:
                raise HttpError(HttpResponseBadRequest(str(exc))) from exc
        return super().parse_body(request)
