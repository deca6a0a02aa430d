"""The one GraphQL endpoint.

Authentication: `Authorization: Bearer <access token>` (device sessions,
cms.accounts.tokens) or, for the browser, the Django session. CSRF is
enforced for session-authenticated requests only: a bearer token is not sent
by the browser on its own, so it needs no CSRF protection; an anonymous
request carries no authority to protect.

What happens before a resolver runs, cheapest refusal first: method, declared
body size (nothing read yet), token, anonymous upload (nothing read yet),
CSRF, then the body (file count enforced while reading it), its shape, the
query's size, cost and validity (cms.api.validation). Every refusal is a
GraphQL error with `extensions.code`; an exception nobody expected is logged
under the request id that is also sent back (`X-Request-ID`), and the client
sees only that id.

graphene-django's view is used through its extension points: parse_body,
get_graphql_params, execute_graphql_request and format_error. The executor is
ours because graphene's has no hook between the query text and execution:
it parses without limits and validates on every request."""

import json
import logging
import re
import uuid
from contextlib import nullcontext

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db import transaction
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast

from cms.accounts.auth import accepts_bearer_token
from cms.platform.api.errors import RequestRefused, TransportCode

from .multipart import FileCountLimit, operations_from_multipart
from .validation import checked_document, unsafe_text, unsafe_text_error

logger = logging.getLogger("sikanda.api")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
MULTIPART = "multipart/form-data"


def _request_id(request):
    """A proxy's id is kept so one request can be followed through both logs."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


def internal_error(request_id):
    return GraphQLError(
        _("Terjadi kesalahan di server."),
        extensions={"code": TransportCode.INTERNAL_SERVER_ERROR.value, "requestId": request_id},
    )


@method_decorator(csrf_exempt, name="dispatch")
class SikandaGraphQLView(GraphQLView):
    batch = False

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.SIKANDA_API["GRAPHIQL"])
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        request.request_id = _request_id(request)
        try:
            self._check_before_reading(request)
            response = accepts_bearer_token(self._dispatch_authenticated)(
                request, *args, **kwargs
            )
        except RequestRefused as refusal:
            response = _refusal_response(refusal)
        except Exception:
            logger.exception("GraphQL request %s failed", request.request_id)
            response = JsonResponse(
                {"errors": [internal_error(request.request_id).formatted]}, status=500
            )
        response["X-Request-ID"] = request.request_id
        return response

    def _check_before_reading(self, request):
        """Refusals that need nothing but the request line and headers."""
        if request.method not in ("GET", "POST"):
            raise RequestRefused(
                TransportCode.METHOD_NOT_ALLOWED,
                _("Endpoint GraphQL hanya menerima GET dan POST."),
                status=405,
                headers={"Allow": "GET, POST"},
            )
        config = settings.SIKANDA_API
        is_upload = self.get_content_type(request) == MULTIPART
        limit = config["MAX_UPLOAD_BYTES"] if is_upload else config["MAX_BODY_BYTES"]
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise _too_large(limit)

    def _dispatch_authenticated(self, request, *args, **kwargs):
        if self.get_content_type(request) == MULTIPART:
            if not request.user.is_authenticated:
                raise RequestRefused(
                    TransportCode.UNAUTHENTICATED,
                    _("Masuk terlebih dahulu untuk mengirim berkas."),
                    status=401,
                    headers={"WWW-Authenticate": 'Bearer realm="sikanda"'},
                )
            # Before anything reads request.POST, the CSRF check included.
            request.upload_handlers.insert(
                0, FileCountLimit(request, settings.SIKANDA_API["MAX_FILES"])
            )
        try:
            if request.device_session is None:
                if request.method == "POST" and request.user.is_authenticated:
                    self._check_csrf(request)
                if not request.user.is_authenticated:
                    request.user = AnonymousUser()
            return super().dispatch(request, *args, **kwargs)
        except TooManyFilesSent as exc:
            raise RequestRefused(
                TransportCode.TOO_MANY_FILES,
                _("Terlalu banyak berkas dalam satu permintaan (batas %(limit)d).")
                % {"limit": settings.SIKANDA_API["MAX_FILES"]},
            ) from exc
        except RequestDataTooBig as exc:
            raise _too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from exc
        except MultiPartParserError as exc:
            raise RequestRefused(
                TransportCode.INVALID_MULTIPART, _("Badan multipart tidak dapat dibaca.")
            ) from exc
        except (TooManyFieldsSent, UnreadablePostError, BadRequest) as exc:
            raise RequestRefused(
                TransportCode.BAD_REQUEST, _("Badan permintaan tidak dapat dibaca.")
            ) from exc

    @staticmethod
    def _check_csrf(request):
        # process_view answers None to accept, or the CSRF failure view's
        # response (already logged by Django with the reason) to refuse.
        if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None:
            raise RequestRefused(TransportCode.CSRF, _("Pemeriksaan CSRF gagal."), status=403)

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        if content_type == MULTIPART:
            return operations_from_multipart(request.POST, request.FILES)
        if content_type == "application/x-www-form-urlencoded":
            return request.POST
        if content_type not in ("application/json", "application/graphql"):
            return {}
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestRefused(
                TransportCode.BAD_REQUEST, _("Badan permintaan bukan teks UTF-8 yang sah.")
            ) from exc
        if content_type == "application/graphql":
            return {"query": body}
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise RequestRefused(
                TransportCode.BAD_REQUEST, _("Badan permintaan bukan JSON yang sah.")
            ) from exc
        if isinstance(data, list):
            raise RequestRefused(
                TransportCode.BATCHING_DISABLED,
                _("Satu permintaan hanya boleh berisi satu operasi."),
            )
        if not isinstance(data, dict):
            raise RequestRefused(
                TransportCode.BAD_REQUEST, _("Badan permintaan harus berupa objek JSON.")
            )
        return data

    @staticmethod
    def get_graphql_params(request, data):
        def param(name):
            return request.GET.get(name) or data.get(name)

        query, variables, operation_name = (
            param("query"), param("variables"), param("operationName")
        )
        if isinstance(variables, str):
            try:
                variables = json.loads(variables)
            except (ValueError, RecursionError) as exc:
                raise RequestRefused(
                    TransportCode.BAD_REQUEST, _("Variabel bukan JSON yang sah.")
                ) from exc
        if operation_name == "null":
            operation_name = None
        if query is not None and not isinstance(query, str):
            raise _bad_param("query", _("teks"))
        if variables is not None and not isinstance(variables, dict):
            raise _bad_param("variables", _("objek JSON"))
        if operation_name is not None and not isinstance(operation_name, str):
            raise _bad_param("operationName", _("teks"))
        return query, variables, operation_name, None

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            raise RequestRefused(TransportCode.BAD_REQUEST, _("Permintaan tanpa query."))
        document, errors = checked_document(self.schema, query)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        where = unsafe_text(variables)
        if where is not None:
            return ExecutionResult(data=None, errors=[unsafe_text_error(where)])
        operation = get_operation_ast(document, operation_name)
        is_mutation = operation is not None and operation.operation == OperationType.MUTATION
        if request.method == "GET" and operation is not None and (
            operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise RequestRefused(
                TransportCode.METHOD_NOT_ALLOWED, _("Mutasi hanya lewat POST."), status=405,
                headers={"Allow": "POST"},
            )
        atomic = is_mutation and graphene_settings.ATOMIC_MUTATIONS
        with transaction.atomic() if atomic else nullcontext():
            result = execute(
                self.schema.graphql_schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        if result.errors:
            result.errors = [public_error(error, request) for error in result.errors]
        return result

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            return error.formatted
        # graphene's own HttpError, should one of its code paths still raise it.
        return {"message": str(error), "extensions": {"code": TransportCode.BAD_REQUEST.value}}


def public_error(error, request):
    """What a client may see of an error raised while executing. A coded
    GraphQLError is meant for the client; PermissionDenied and ValidationError
    are refusals worded for people; an uncoded GraphQLError comes from
    graphql-core checking a value against the schema (its message names the
    value, nothing of the server). Anything else is a fault of ours: logged
    with the request id, answered with only that id."""
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if isinstance(original, PermissionDenied):
        return _recoded(
            error, TransportCode.PERMISSION_DENIED,
            str(original) or _("Anda tidak memiliki izin untuk tindakan ini."),
        )
    if isinstance(original, ValidationError):
        return _recoded(error, TransportCode.BAD_USER_INPUT, " ".join(original.messages))
    if original is None or isinstance(original, GraphQLError):
        if error.path is not None:
            logger.warning(
                "GraphQL request %s: %s at %s", request.request_id, error.message, error.path
            )
        return _recoded(error, TransportCode.BAD_USER_INPUT, error.message)
    logger.error(
        "GraphQL request %s failed at %s", request.request_id, error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    internal = internal_error(request.request_id)
    return GraphQLError(
        internal.message, error.nodes, path=error.path, extensions=internal.extensions
    )


def _recoded(error, code, message):
    return GraphQLError(
        message, error.nodes, path=error.path,
        extensions={**(error.extensions or {}), "code": code.value},
    )


def _too_large(limit):
    return RequestRefused(
        TransportCode.PAYLOAD_TOO_LARGE,
        _("Badan permintaan terlalu besar (batas %(limit)s byte).") % {"limit": limit},
        status=413,
    )


def _bad_param(name, kind):
    return RequestRefused(
        TransportCode.BAD_REQUEST,
        _("Parameter '%(name)s' harus berupa %(kind)s.") % {"name": name, "kind": kind},
    )


def _refusal_response(refusal):
    return JsonResponse(refusal.as_json(), status=refusal.status, headers=refusal.headers)
