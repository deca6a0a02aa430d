"""GraphQL: the in-app inbox, push device registration and subscriptions."""

import graphene
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.api.errors import FieldError, error
from cms.api.ids import object_ids
from cms.api.pagination import page_args, page_type, paginate
from cms.reports.models import Aspek, Kecamatan
from cms.reports.schema_types import AspekType, KecamatanType

from .models import Langganan, Notifikasi, PerangkatPush


class NotificationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    event = graphene.String(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    report_id = graphene.ID()
    created_at = graphene.DateTime(required=True)
    read = graphene.Boolean(required=True)

    class Meta:
        name = "Notification"

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


NotificationPage = page_type(NotificationType, "NotificationPage")


def _subscriptions(user):
    rows = Langganan.objects.filter(pengguna=user).select_related("kecamatan", "aspek")
    return SubscriptionsType(
        kecamatan=[row.kecamatan for row in rows if row.kecamatan_id],
        aspek=[row.aspek for row in rows if row.aspek_id],
    )


class Query(graphene.ObjectType):
    notifications = graphene.Field(
        NotificationPage,
        required=True,
        **page_args(),
        description="My inbox: unread first, then newest.",
    )
    unread_notification_count = graphene.Int(required=True)
    my_subscriptions = graphene.Field(SubscriptionsType)

    @staticmethod
    def resolve_notifications(root, info, page, page_size):
        user = info.context.user
        inbox = (
            Notifikasi.objects.filter(penerima_id=user.pk)
            if user.is_authenticated
            else Notifikasi.objects.none()
        )
        inbox = inbox.order_by(F("dibaca").asc(nulls_first=True), "-dibuat", "-pk")
        return paginate(inbox, page, page_size)

    @staticmethod
    def resolve_unread_notification_count(root, info):
        user = info.context.user
        if not user.is_authenticated:
            return 0
        return Notifikasi.objects.filter(penerima=user, dibaca__isnull=True).count()

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
        ids = graphene.List(graphene.NonNull(graphene.ID))
        all = graphene.Boolean(default_value=False)

    count = graphene.Int(required=True)
    unread_count = graphene.Int(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, ids=None, all=False):
        user = _signed_in(info)
        if user is None:
            return MarkNotificationsRead(
                count=0,
                unread_count=0,
                errors=error("permission_denied", _("Masuk terlebih dahulu.")),
            )
        unread = Notifikasi.objects.filter(penerima=user, dibaca__isnull=True)
        target = unread if all else unread.filter(pk__in=object_ids(ids))
        count = target.update(dibaca=timezone.now())
        return MarkNotificationsRead(count=count, unread_count=unread.count(), errors=[])


class RegisterPushDevice(graphene.Mutation):
    """Record this phone's OneSignal subscription for the signed-in user. The
    app also calls OneSignal.login(<user id>) so pushes reach it by external id."""

    class Arguments:
        subscription_id = graphene.String(required=True)
        platform = graphene.String(default_value="")

    ok = graphene.Boolean(required=True)
    external_id = graphene.String(description="What to pass to OneSignal.login().")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, subscription_id, platform=""):
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
            defaults={"pengguna": user, "platform": platform[:20]},
        )
        return RegisterPushDevice(ok=True, external_id=str(user.pk), errors=[])


class SetSubscriptions(graphene.Mutation):
    """Replace my subscriptions: published reports of these kecamatan and
    these aspects reach me by push and in the inbox."""

    class Arguments:
        kecamatan = graphene.List(graphene.NonNull(graphene.ID), required=True)
        aspek = graphene.List(graphene.NonNull(graphene.ID), required=True)

    subscriptions = graphene.Field(SubscriptionsType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, kecamatan, aspek):
        user = _signed_in(info)
        if user is None:
            return SetSubscriptions(errors=error("permission_denied", _("Masuk terlebih dahulu.")))
        found_kecamatan = list(
            Kecamatan.objects.filter(pk__in=object_ids(kecamatan))
        )
        found_aspek = list(Aspek.objects.filter(pk__in=object_ids(aspek)))
        if len(found_kecamatan) != len(set(kecamatan)) or len(found_aspek) != len(set(aspek)):
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
