"""GraphQL: signing in devices, guests registering, and who am I."""

import graphene
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.platform.api.errors import FieldError, error, from_exception
from cms.platform.api.inputs import parse_id
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assigned_kecamatan
from cms.reports.schema_types import KecamatanType

from . import guests, roles, tokens, usernames
from .models import DeviceSession, RevocationReason


class UserType(graphene.ObjectType):
    id = graphene.ID(required=True)
    username = graphene.String(required=True)
    full_name = graphene.String(required=True)
    email = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(graphene.String), required=True)
    kecamatan_pelaporan = graphene.List(
        graphene.NonNull(KecamatanType),
        required=True,
        description="Kecamatan the user may file reports for (Petugas).",
    )
    kecamatan_verifikasi = graphene.List(
        graphene.NonNull(KecamatanType),
        required=True,
        description="Kecamatan whose reports the user verifies (Verifikator).",
    )

    class Meta:
        name = "User"
        description = "A signed-in user: who they are, their roles and kecamatan."

    @staticmethod
    def resolve_full_name(user, info):
        return user.get_full_name() or user.username

    @staticmethod
    def resolve_roles(user, info):
        return sorted(user.groups.values_list("name", flat=True))

    @staticmethod
    def resolve_kecamatan_pelaporan(user, info):
        return assigned_kecamatan(user, FILE_REPORT)

    @staticmethod
    def resolve_kecamatan_verifikasi(user, info):
        return assigned_kecamatan(user, VERIFY_REPORT)


class DeviceSessionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    device_name = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    last_used_at = graphene.DateTime()
    current = graphene.Boolean(required=True, description="The session of this request.")

    class Meta:
        name = "DeviceSession"
        description = "A device signed in to my account."

    @staticmethod
    def resolve_current(session, info):
        current = getattr(info.context, "device_session", None)
        return current is not None and current.pk == session.pk


class AuthPayload(graphene.ObjectType):
    access_token = graphene.String()
    refresh_token = graphene.String()
    access_expires_at = graphene.DateTime()
    refresh_expires_at = graphene.DateTime()
    user = graphene.Field(UserType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _payload(session, access, refresh):
    return AuthPayload(
        access_token=access,
        refresh_token=refresh,
        access_expires_at=session.access_expires_at,
        refresh_expires_at=session.refresh_expires_at,
        user=session.user,
        errors=[],
    )


class Login(graphene.Mutation):
    """Sign a device in with username (or email) and password."""

    class Arguments:
        username = graphene.String(required=True, description="Username or email address.")
        password = graphene.String(required=True)
        device_name = graphene.String(default_value="")

    Output = AuthPayload

    @staticmethod
    def mutate(root, info, username, password, device_name=""):
        request = info.context
        # The request goes through so django-axes can count and lock out.
        user = authenticate(request=request, username=_login_name(username), password=password)
        if getattr(request, "axes_locked_out", False):
            return AuthPayload(
                errors=error(
                    "locked_out", _("Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.")
                )
            )
        if user is None:
            return AuthPayload(
                errors=error("invalid_credentials", _("Nama pengguna atau kata sandi salah."))
            )
        return _payload(*tokens.issue(user, device_name))


def _login_name(given):
    """The username to authenticate: an email address stands for the first
    account registered with it (addresses are not unique: registration must
    not reveal which exist); a username is tried as typed, then as stored
    for self-registered guests (normalised)."""
    User = get_user_model()
    login_name = given.strip()
    if "@" in login_name:
        match = User.objects.filter(email__iexact=login_name).order_by("pk").first()
        return match.get_username() if match else login_name
    if User.objects.filter(username=login_name).exists():
        return login_name
    return usernames.normalise(login_name)


class RefreshToken(graphene.Mutation):
    """Exchange a refresh token for a new pair; the old pair stops working."""

    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = AuthPayload

    @staticmethod
    def mutate(root, info, refresh_token):
        result = tokens.refresh(refresh_token)
        if result is None:
            return AuthPayload(
                errors=error(
                    "invalid_credentials",
                    _("Token penyegar tidak sah, kedaluwarsa, atau telah dicabut."),
                )
            )
        return _payload(*result)


class Logout(graphene.Mutation):
    """End the session of the token this request was made with."""

    ok = graphene.Boolean(required=True)

    class Meta:
        name = "LogoutPayload"

    @staticmethod
    def mutate(root, info):
        session = getattr(info.context, "device_session", None)
        if session is not None:
            session.revoke(RevocationReason.LOGOUT)
        return Logout(ok=session is not None)


class RevokeDevice(graphene.Mutation):
    """Sign one of your own devices out (a lost phone)."""

    class Arguments:
        id = graphene.ID(required=True)

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "RevokeDevicePayload"

    @staticmethod
    def mutate(root, info, id):
        user = info.context.user
        pk = parse_id(id)
        session = (
            DeviceSession.objects.filter(user=user, pk=pk).first()
            if user.is_authenticated and pk is not None
            else None
        )
        if session is None:
            return RevokeDevice(
                ok=False, errors=error("not_found", _("Sesi tidak ditemukan."), "id")
            )
        session.revoke(RevocationReason.DEVICE)
        return RevokeDevice(ok=True, errors=[])


class Register(graphene.Mutation):
    """Self-registration of a guest (role Pengguna). Officers and verifiers
    get their accounts from Kesbangpol. The username is stored normalised
    (NFKC, lower case) and refused when it looks like an existing or reserved
    name; the email address is not checked for existing accounts, so the answer
    never tells whether an address is registered."""

    class Arguments:
        username = graphene.String(required=True)
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        full_name = graphene.String(default_value="")
        device_name = graphene.String(default_value="")

    Output = AuthPayload

    @staticmethod
    def mutate(root, info, username, email, password, full_name="", device_name=""):
        User = get_user_model()
        first, _sep, last = (full_name or "").strip().rpartition(" ")
        user = User(
            username=usernames.normalise(username),
            email=email.strip(),
            first_name=first or last,
            last_name=last if first else "",
        )
        try:
            user.full_clean(exclude=["password"])
            _validate_username(user.username)
            validate_password(password, user)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"password": exc.error_list})
            return AuthPayload(errors=from_exception(exc))
        try:
            with transaction.atomic():
                user.set_password(password)
                user.save()
                user.groups.add(Group.objects.get(name=roles.PENGGUNA))
                guests.subscribe_to_every_kecamatan(user)
        except IntegrityError:
            # A concurrent registration took the same name first.
            return AuthPayload(errors=from_exception(ValidationError(
                {"username": ValidationError(_TAKEN, code="invalid")}
            )))
        return _payload(*tokens.issue(user, device_name))


_TAKEN = gettext_lazy("Nama pengguna ini sudah dipakai.")


def _validate_username(username):
    try:
        usernames.validate_new_username(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.error_list}) from exc


class Query(graphene.ObjectType):
    me = graphene.Field(UserType, description="The signed-in user; null when anonymous.")
    my_devices = graphene.List(graphene.NonNull(DeviceSessionType), required=True)

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    @staticmethod
    def resolve_my_devices(root, info):
        user = info.context.user
        if not user.is_authenticated:
            return []
        return DeviceSession.objects.active().filter(user=user)


class Mutation(graphene.ObjectType):
    login = Login.Field()
    refresh_token = RefreshToken.Field()
    logout = Logout.Field()
    revoke_device = RevokeDevice.Field()
    register = Register.Field()
