"""GraphQL: the in-app inbox, push device registration and subscriptions."""

import graphene
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.platform.api.enums import choice_value, described_enum
from cms.platform.api.errors import FieldError, error
from cms.platform.api.inputs import parse_id
from cms.platform.api.pagination import Key, Ordering, connection_type, page_args, paginate
from cms.reports.models import Aspek, Kecamatan
from cms.reports.permissions import laporan_policy
from cms.reports.schema_types import AspekType, KecamatanType

from .models import Langganan, Notifikasi, PerangkatPush

# markNotificationsRead takes at most this many ids in one call.
MAX_IDS = 500
NEWEST = Ordering("dibuat", (Key("dibuat"), Key("pk", kind=int)))
PushPlatformEnum = described_enum(
    "PushPlatform",
    "Where a push subscription lives.",
    {
        "ANDROID": ("android", "The Android app."),
        "IOS": ("ios", "The iOS app."),
        "WEB": ("web", "Web push in a browser (the installable web app)."),
    },
)


def inbox(user):
    """The user's inbox as the report permission policy allows it now: an
    entry about a report the user may no longer see (reclassified terbatas,
    verifier moved to another kecamatan) is hidden, in the same query."""
    if not user.is_authenticated:
        return Notifikasi.objects.none()
    visible = laporan_policy.visible_to(user).values("pk")
    return Notifikasi.objects.filter(penerima=user).filter(
        Q(laporan__isnull=True) | Q(laporan__in=visible)
    )


class NotificationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    event = graphene.String(
        required=True,
        description="What happened: report.submitted, report.changes_requested, "
        "report.verified, report.published, report.withdrawn; later versions may add events, "
        "so show title and body for one you do not know.",
    )
    title = graphene.String(required=True, description="In the language of the request.")
    body = graphene.String(required=True, description="In the language of the request.")
    report_id = graphene.ID(description="The report it is about (open it with `report`).")
    created_at = graphene.DateTime(required=True)
    read = graphene.Boolean(required=True)

    class Meta:
        name = "Notification"
        description = "An entry of my in-app inbox."

    @staticmethod
    def resolve_event(item, info):
        return item.peristiwa

    @staticmethod
    def resolve_title(item, info):
        return Notifikasi.text(item.judul)

    @staticmethod
    def resolve_body(item, info):
        return Notifikasi.text(item.isi)

    @staticmethod
    def resolve_report_id(item, info):
        return item.laporan_id

    @staticmethod
    def resolve_created_at(item, info):
        return item.dibuat

    @staticmethod
    def resolve_read(item, info):
        return item.dibaca is not None


class SubscriptionsType(graphene.ObjectType):
    kecamatan = graphene.List(graphene.NonNull(KecamatanType), required=True)
    aspek = graphene.List(graphene.NonNull(AspekType), required=True)

    class Meta:
        name = "Subscriptions"
        description = "What I want to hear about: published reports of these kecamatan or aspek."


NotificationConnection = connection_type(NotificationType, "Notification", "notifications")


def _subscriptions(user):
    rows = Langganan.objects.filter(pengguna=user).select_related("kecamatan", "aspek")
    return SubscriptionsType(
        kecamatan=[row.kecamatan for row in rows if row.kecamatan_id],
        aspek=[row.aspek for row in rows if row.aspek_id],
    )


class Query(graphene.ObjectType):
    notifications = graphene.Field(
        NotificationConnection,
        required=True,
        unread_only=graphene.Boolean(default_value=False, description="Only unread entries."),
        **page_args(),
        description="My inbox, newest first (cursor paging); empty when signed out.",
    )
    unread_notification_count = graphene.Int(
        required=True, description="Unread entries of my inbox; 0 when signed out."
    )
    my_subscriptions = graphene.Field(SubscriptionsType, description="Null when signed out.")

    @staticmethod
    def resolve_notifications(root, info, first, unread_only, after=None):
        entries = inbox(info.context.user)
        if unread_only:
            entries = entries.filter(dibaca__isnull=True)
        return paginate(entries, NEWEST, first, after)

    @staticmethod
    def resolve_unread_notification_count(root, info):
        return inbox(info.context.user).filter(dibaca__isnull=True).count()

    @staticmethod
    def resolve_my_subscriptions(root, info):
        user = info.context.user
        return _subscriptions(user) if user.is_authenticated else None


def _signed_in(info):
    user = info.context.user
    return user if user.is_authenticated else None


class MarkNotificationsRead(graphene.Mutation):
    """Mark some (ids) or all of my notifications read."""

    class Arguments:
        ids = graphene.List(
            graphene.NonNull(graphene.ID),
            description=f"At most {MAX_IDS}; ids that are not mine are ignored; null: none.",
        )
        all = graphene.Boolean(default_value=False, description="Every entry; null: false.")

    count = graphene.Int(required=True, description="How many entries became read.")
    unread_count = graphene.Int(required=True, description="Unread entries left.")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "MarkNotificationsReadPayload"

    @staticmethod
    def mutate(root, info, all, ids=None):
        user = _signed_in(info)
        if user is None:
            return MarkNotificationsRead(
                count=0,
                unread_count=0,
                errors=error("permission_denied", _("Masuk terlebih dahulu.")),
            )
        unread = inbox(user).filter(dibaca__isnull=True)
        ids = ids or []
        if len(ids) > MAX_IDS:
            return MarkNotificationsRead(
                count=0,
                unread_count=unread.count(),
                errors=error(
                    "invalid",
                    _("Paling banyak %(limit)d id sekaligus; gunakan all untuk semuanya.")
                    % {"limit": MAX_IDS},
                    "ids",
                ),
            )
        if not all:
            unread = unread.filter(pk__in={pk for pk in map(parse_id, ids) if pk is not None})
        count = unread.update(dibaca=timezone.now())
        return MarkNotificationsRead(
            count=count, unread_count=inbox(user).filter(dibaca__isnull=True).count(), errors=[]
        )


class RegisterPushDevice(graphene.Mutation):
    """Record this phone's OneSignal subscription for the signed-in user. The
    app also calls OneSignal.login(<user id>) so pushes reach it by external id."""

    class Arguments:
        subscription_id = graphene.String(
            required=True, description="The OneSignal subscription id, at most 100 characters."
        )
        platform = PushPlatformEnum(description="Null: not said.")

    ok = graphene.Boolean(required=True)
    external_id = graphene.String(description="What to pass to OneSignal.login().")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "RegisterPushDevicePayload"

    @staticmethod
    def mutate(root, info, subscription_id, platform=None):
        user = _signed_in(info)
        if user is None:
            return RegisterPushDevice(
                ok=False, errors=error("permission_denied", _("Masuk terlebih dahulu."))
            )
        subscription_id = subscription_id.strip()
        if not subscription_id or len(subscription_id) > 100:
            return RegisterPushDevice(
                ok=False, errors=error("invalid", _("ID langganan tidak sah."), "subscriptionId")
            )
        PerangkatPush.objects.update_or_create(
            subscription_id=subscription_id,
            defaults={"pengguna": user, "platform": choice_value(platform) or ""},
        )
        return RegisterPushDevice(ok=True, external_id=str(user.pk), errors=[])


class SetSubscriptions(graphene.Mutation):
    """Replace my subscriptions: published reports of these kecamatan and
    these aspects reach me by push and in the inbox."""

    class Arguments:
        kecamatan = graphene.List(
            graphene.NonNull(graphene.ID), required=True, description="Kecamatan ids."
        )
        aspek = graphene.List(
            graphene.NonNull(graphene.ID), required=True, description="Aspek ids."
        )

    subscriptions = graphene.Field(SubscriptionsType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "SetSubscriptionsPayload"

    @staticmethod
    def mutate(root, info, kecamatan, aspek):
        user = _signed_in(info)
        if user is None:
            return SetSubscriptions(errors=error("permission_denied", _("Masuk terlebih dahulu.")))
        if len(kecamatan) + len(aspek) > MAX_IDS:
            return SetSubscriptions(
                errors=error(
                    "invalid", _("Paling banyak %(limit)d id sekaligus.") % {"limit": MAX_IDS}
                )
            )
        kecamatan_ids, aspek_ids = set(map(parse_id, kecamatan)), set(map(parse_id, aspek))
        found_kecamatan = list(Kecamatan.objects.filter(pk__in=kecamatan_ids - {None}))
        found_aspek = list(Aspek.objects.filter(pk__in=aspek_ids - {None}))
        if len(found_kecamatan) != len(kecamatan_ids) or len(found_aspek) != len(aspek_ids):
            return SetSubscriptions(
                errors=error("not_found", _("Sebagian kecamatan atau aspek tidak ditemukan."))
            )
        with transaction.atomic():
            Langganan.objects.filter(pengguna=user).delete()
            Langganan.objects.bulk_create(
                [Langganan(pengguna=user, kecamatan=k) for k in found_kecamatan]
                + [Langganan(pengguna=user, aspek=a) for a in found_aspek]
            )
        return SetSubscriptions(subscriptions=_subscriptions(user), errors=[])


class Mutation(graphene.ObjectType):
    mark_notifications_read = MarkNotificationsRead.Field()
    register_push_device = RegisterPushDevice.Field()
    set_subscriptions = SetSubscriptions.Field()
