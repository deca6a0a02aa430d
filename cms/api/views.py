"""The one GraphQL endpoint.

Authentication: `Authorization: Bearer <access token>` (device sessions,
cms.accounts.tokens) or, for the browser, the Django session. CSRF is
enforced for session-authenticated requests only: a bearer token is not sent
by the browser on its own, so it needs no CSRF protection; an anonymous
request carries no authority to protect."""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)

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

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        # graphene-django's version, with parsing and validation cached per
        # query text (see _checked_document) and no per-request schema check.
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest(_("Permintaan tanpa query.")))
        rules_key = tuple(sorted(settings.SIKANDA_API.items()))
        document, errors = _checked_document(query, rules_key)
        if document is None or errors:
            return ExecutionResult(data=None, errors=list(errors))
        operation_ast = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation_ast is not None
            and operation_ast.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(
                ["POST"], _("Mutasi hanya lewat POST.")
            ))
        try:
            return execute(
                self.schema.graphql_schema, document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
            )
        except Exception as exc:  # graphene-django does the same: never a stack trace
            return ExecutionResult(errors=[exc])

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data" and "operations" in request.POST:
            try:
                return operations_from_multipart(request.POST, request.FILES)
            except MultipartError as exc:
                raise HttpError(HttpResponseBadRequest(str(exc))) from exc
        return super().parse_body(request)


@lru_cache(maxsize=512)
def _checked_document(query, rules_key):
    """Parse and validate a query once per distinct text: mobile clients send
    the same few documents over and over. Returns (document, errors)."""
    from .schema import schema

    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, (exc,)
    errors = validate(
        schema.graphql_schema, document, validation_rules(),
        graphene_settings.MAX_VALIDATION_ERRORS,
    )
    return document, tuple(errors)
