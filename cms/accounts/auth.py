"""Bearer-token authentication for the views a mobile app calls."""

import json
from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from graphql import FieldNode, GraphQLError, OperationType, get_operation_ast, parse

from .tokens import authenticate_access

# The mutations that obtain tokens. An app's HTTP link attaches its last
# access token to every request, expired or not; refusing these because of it
# would leave the app no way back in short of a reinstall.
SESSION_STARTING_FIELDS = frozenset({"login", "register", "refreshToken"})
# Such a request is a few hundred bytes; a larger one is not one of them and
# is not parsed here (the endpoint's own limits apply to it).
SESSION_REQUEST_MAX_BYTES = 8192
SESSION_QUERY_MAX_TOKENS = 500


def unauthenticated_response():
    return JsonResponse(
        {"errors": [{"message": _("Token akses tidak sah, kedaluwarsa, atau telah dicabut."),
                     "extensions": {"code": "UNAUTHENTICATED"}}]},
        status=401, headers={"WWW-Authenticate": 'Bearer realm="sikanda"'},
    )


def bearer_token(request):
    """The credentials of an `Authorization: Bearer …` header (the scheme is
    case-insensitive, RFC 9110 §11.1), or None when there is no such header."""
    scheme, _sep, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def starts_session(request):
    """Whether this is a GraphQL POST whose operation only obtains tokens
    (login, register, refreshToken), and so needs no valid access token."""
    if request.method != "POST" or request.content_type != "application/json":
        return False
    try:
        if int(request.headers.get("Content-Length") or 0) > SESSION_REQUEST_MAX_BYTES:
            return False
        body = json.loads(request.body)
        query, operation_name = body.get("query"), body.get("operationName")
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return False
        operation = get_operation_ast(
            parse(query, no_location=True, max_tokens=SESSION_QUERY_MAX_TOKENS), operation_name
        )
    except (ValueError, AttributeError, RecursionError, GraphQLError):
        return False
    if operation is None or operation.operation != OperationType.MUTATION:
        return False
    selections = operation.selection_set.selections
    return bool(selections) and all(
        isinstance(node, FieldNode) and node.name.value in SESSION_STARTING_FIELDS
        for node in selections
    )


def accepts_bearer_token(view):
    """`Authorization: Bearer <access token>` signs the request in as the
    token's user; a bad token is refused rather than treated as anonymous, so
    an app never silently sees less than it should — except on the mutations
    that obtain tokens, which ignore a stale header. Without the header the
    request keeps its session user. `request.device_session` tells which."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.device_session = None
        token = bearer_token(request)
        if token is not None:
            session = authenticate_access(token)
            if session is not None:
                request.user = session.user
                request.device_session = session
            elif not starts_session(request):
                return unauthenticated_response()
        return view(request, *args, **kwargs)

    return wrapped
