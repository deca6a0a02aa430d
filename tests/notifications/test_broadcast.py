"""Publication to followers as a broadcast (cms.notifications.fanout): the
approval writes one row whatever the number of followers; a worker expands
it once, behind the personal pushes, and not at all for a report taken down
meanwhile. The sweeper leaves rows to the tasks already queued for them."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from cms.accounts import roles
from cms.notifications import fanout
from cms.notifications.fanout import expand
from cms.notifications.models import Langganan, Notifikasi, Pengiriman, Siaran
from cms.platform import outbox
from cms.platform.tasks import deliver
from cms.reports import services
from tests import factories
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def deliveries_queued():
    """(outbox kind, row, priority) of the outbox tasks queued (not Wagtail's
    indexing tasks)."""
    return [
        (r.args[0], r.args[1], r.task.priority)
        for r in default_task_backend.results
        if r.task.func is deliver.func
    ]


def followers(count, kecamatan="paringin", prefix="warga"):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    people = User.objects.bulk_create(
        User(username=f"{prefix}.{kecamatan}.{n}") for n in range(count)
    )
    group = Group.objects.get(name=roles.PENGGUNA)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=person.pk, group_id=group.pk) for person in people
    )
    place = factories.kecamatan(kecamatan)
    Langganan.objects.bulk_create(Langganan(pengguna=person, kecamatan=place) for person in people)
    return people


def approve(laporan, verifikator):
    return services.act(
        laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
    )


def told(people):
    return Notifikasi.objects.filter(
        penerima__in=people, peristiwa="report.published"
    ).count()


def test_the_approval_costs_the_same_for_5_or_300_followers(
    petugas, verifikator, channel, django_capture_on_commit_callbacks
):
    def approval_queries():
        laporan = make_report(petugas, submit=True)
        with (
            django_capture_on_commit_callbacks(execute=False) as after_commit,
            CaptureQueriesContext(connection) as queries,
        ):
            approve(laporan, verifikator)
        return laporan, len(queries), after_commit

    few = followers(5, prefix="sedikit")
    approval_queries()  # warm-up: the first approval fills caches (sites, groups…)
    laporan, small, after_commit = approval_queries()
    assert Siaran.objects.filter(laporan=laporan).count() == 1
    assert told(few) == 0  # nobody yet: the worker works it out after the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()
    assert told(few) == 5

    many = followers(295, prefix="banyak")
    laporan, large, after_commit = approval_queries()
    assert large == small
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()
    assert told(few + many) == 5 + 300
    assert Notifikasi.objects.filter(laporan=laporan, peristiwa="report.published").count() == 300
    siaran = Siaran.objects.get(laporan=laporan)
    assert siaran.status == Siaran.Status.SENT and siaran.jumlah_penerima == 300
    # The sample channel takes any number: one delivery for all 300.
    batch = Pengiriman.objects.get(siaran=siaran)
    assert batch.penerima.count() == 300 and batch.status == Pengiriman.Status.SENT


def test_no_broadcast_when_nobody_follows(petugas, verifikator, channel,
                                          django_capture_on_commit_callbacks):
    followers(3, kecamatan="juai")
    laporan = make_report(petugas, submit=True)  # Paringin
    with django_capture_on_commit_callbacks(execute=True):
        approve(laporan, verifikator)
    assert not Siaran.objects.exists()
    assert not Pengiriman.objects.filter(peristiwa="report.published").exists()


def test_a_report_taken_down_before_the_worker_runs_reaches_nobody(
    petugas, verifikator, administrator, channel, django_capture_on_commit_callbacks
):
    people = followers(4)
    laporan = make_report(petugas, submit=True)
    with django_capture_on_commit_callbacks(execute=False):  # the queue is slow today
        approve(laporan, verifikator)
    services.retract(laporan, administrator, "Salah lokasi, ditarik untuk diperiksa.")
    siaran = Siaran.objects.get(laporan=laporan)
    assert outbox.attempt(Siaran, siaran.pk) == Siaran.Status.SENT
    siaran.refresh_from_db()
    assert siaran.jumlah_penerima == 0
    assert told(people) == 0
    assert not Pengiriman.objects.filter(siaran=siaran).exists()
    assert not [sent for sent in channel if sent.data.get("event") == "report.published"]


def test_a_second_expansion_after_a_lost_lease_writes_nothing_twice(
    petugas, verifikator, channel, django_capture_on_commit_callbacks
):
    people = followers(7)
    laporan = make_report(petugas, submit=True)
    with django_capture_on_commit_callbacks(execute=False):
        approve(laporan, verifikator)
    siaran = Siaran.objects.get(laporan=laporan)
    # The worker expanded it, then died before the engine recorded "sent".
    with django_capture_on_commit_callbacks(execute=False):
        assert expand(siaran) == 7
    Siaran.objects.filter(pk=siaran.pk).update(
        status=Siaran.Status.SENDING, kunci_hingga=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.sweep(Siaran) == 1
    siaran.refresh_from_db()
    assert siaran.status == Siaran.Status.SENT and siaran.jumlah_penerima == 7
    assert told(people) == 7
    batch = Pengiriman.objects.get(siaran=siaran)
    assert batch.penerima.count() == 7


@pytest.fixture
def first_page_written(
    petugas, verifikator, channel, django_capture_on_commit_callbacks, monkeypatch
):
    """Ten followers, pages of four: a worker wrote the first page of the
    publication's broadcast, then died (its tasks never queued)."""
    monkeypatch.setattr(fanout, "PAGE", 4)
    people = followers(10)
    laporan = make_report(petugas, submit=True)
    with django_capture_on_commit_callbacks(execute=False):
        approve(laporan, verifikator)
    siaran = Siaran.objects.get(laporan=laporan)
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        assert fanout._page(Siaran.objects.select_for_update().get(pk=siaran.pk))
    siaran.refresh_from_db()
    assert (siaran.halaman, siaran.jumlah_penerima, told(people)) == (1, 4, 4)
    return siaran, people


def test_an_expansion_cut_short_goes_on_from_its_last_page(
    first_page_written, channel, django_capture_on_commit_callbacks
):
    siaran, people = first_page_written
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.attempt(Siaran, siaran.pk) == Siaran.Status.SENT
    siaran.refresh_from_db()
    assert (siaran.halaman, siaran.jumlah_penerima, told(people)) == (3, 10, 10)
    assert siaran.diuraikan is not None
    batches = Pengiriman.objects.filter(siaran=siaran).order_by("potongan")
    assert [b.penerima.count() for b in batches] == [4, 4, 2]
    assert sorted(batches.values_list("penerima", flat=True)) == sorted(p.pk for p in people)
    # The first page's delivery too, though its task died with the worker.
    assert len([sent for sent in channel
                if sent.data.get("event") == "report.published"]) == 3


def test_a_report_taken_down_mid_expansion_reaches_nobody_more(
    first_page_written, administrator, channel
):
    siaran, people = first_page_written
    services.retract(siaran.laporan, administrator, "Salah lokasi, ditarik untuk diperiksa.")
    outbox.attempt(Siaran, siaran.pk)
    siaran.refresh_from_db()
    assert siaran.jumlah_penerima == 4 and told(people) == 4
    assert Pengiriman.objects.filter(siaran=siaran).count() == 1


@override_settings(TASKS=DUMMY_QUEUE)
def test_broadcast_work_queues_behind_the_personal_pushes(
    petugas, verifikator, pimpinan, channel, django_capture_on_commit_callbacks
):
    followers(3)
    laporan = make_report(petugas, submit=True, urgensi="tinggi")
    default_task_backend.results.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(laporan, verifikator)
    queued = {(kind, priority) for kind, _, priority in deliveries_queued()}
    # The reporter's and the Pimpinan's pushes at the deliveries' priority,
    # the broadcast behind them.
    assert ("notifications.Pengiriman", 50) in queued
    assert ("notifications.Siaran", outbox.BACKGROUND_PRIORITY) in queued
    assert ("notifications.Siaran", 50) not in queued

    default_task_backend.results.clear()
    siaran = Siaran.objects.get(laporan=laporan)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.attempt(Siaran, siaran.pk)
    batch = Pengiriman.objects.get(siaran=siaran)
    assert deliveries_queued() == [
        ("notifications.Pengiriman", batch.pk, outbox.BACKGROUND_PRIORITY)
    ]


@override_settings(TASKS=DUMMY_QUEUE)
def test_the_sweeper_leaves_queued_rows_to_their_task(petugas):
    """With a queue that holds tasks, every row already has one: the sweeper
    queues only rows whose task was lost (due past the grace period) and rows
    whose claimant's lease ran out — not a second task per waiting row."""
    now = timezone.now()

    def delivery(**columns):
        return Pengiriman.objects.create(kanal="sample", peristiwa="uji", judul={"id": "J"},
                                         isi={"id": "I"}, **columns)

    delivery()  # just written; its task is in the queue
    lost = delivery(coba_lagi_pada=now - timedelta(seconds=301))
    abandoned = delivery(status=Pengiriman.Status.SENDING,
                         kunci_hingga=now - timedelta(seconds=1))
    delivery(status=Pengiriman.Status.SENDING, kunci_hingga=now + timedelta(seconds=60))
    default_task_backend.results.clear()
    assert outbox.sweep(Pengiriman) == 2
    assert sorted(pk for _, pk, _ in deliveries_queued()) == sorted(
        [lost.pk, abandoned.pk]
    )


@override_settings(TASKS=DUMMY_QUEUE)
def test_a_retry_is_queued_for_its_time(petugas):
    """A failed attempt queues its retry to run when it is due, so no sweeper
    is needed for the ordinary retry."""
    # A channel that is switched off: a retryable failure.
    delivery = Pengiriman.objects.create(kanal="tidak-terpasang", peristiwa="uji",
                                         judul={"id": "J"}, isi={"id": "I"})
    default_task_backend.results.clear()
    assert outbox.attempt(Pengiriman, delivery.pk) == Pengiriman.Status.PENDING
    delivery.refresh_from_db()
    [retry] = [r for r in default_task_backend.results if r.task.func is deliver.func]
    assert list(retry.args) == ["notifications.Pengiriman", delivery.pk]
    assert retry.task.run_after == delivery.coba_lagi_pada > timezone.now()
    assert outbox.sweep(Pengiriman) == 0  # it is not lost: its task waits for it


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises writers; races need PostgreSQL.")
def test_two_workers_expanding_at_once_write_it_once(petugas, verifikator, channel):
    people = followers(40)
    for round_ in range(5):
        laporan = make_report(petugas, submit=True, judul=f"Siaran serentak {round_}")
        approve(laporan, verifikator)  # ImmediateBackend: expanded on commit …
        siaran = Siaran.objects.get(laporan=laporan)
        # … so undo that, as if the expansion had not happened yet.
        Pengiriman.objects.filter(siaran=siaran).delete()
        Notifikasi.objects.filter(laporan=laporan, peristiwa="report.published").delete()
        Siaran.objects.filter(pk=siaran.pk).update(jumlah_penerima=0, halaman=0, terakhir=0,
                                                   diuraikan=None)

        barrier = threading.Barrier(2)
        results = []

        def run(siaran=siaran, barrier=barrier, results=results):
            try:
                barrier.wait()
                results.append(expand(siaran))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert results == [40, 40]
        assert Notifikasi.objects.filter(laporan=laporan, peristiwa="report.published",
                                         penerima__in=people).count() == 40
        assert Pengiriman.objects.filter(siaran=siaran).count() == 1


def test_a_channel_that_chooses_its_own_sees_every_follower(
    petugas, verifikator, django_capture_on_commit_callbacks, monkeypatch
):
    """E-mail picks those who opted in: it is shown the followers page by
    page (more than one page here) and only its choice gets a delivery."""
    from django.core import mail

    from cms.platform.plugins import set_enabled
    from plugins.email_notify.models import PreferensiEmail

    set_enabled("email_notify", True)
    mail.outbox.clear()
    people = followers(7)
    for person in (people[1], people[6]):
        person.email = f"{person.username}@example.id"
        person.save()
        PreferensiEmail.objects.create(pengguna=person, peristiwa=["report.published"])
    laporan = make_report(petugas, submit=True)
    monkeypatch.setattr(fanout, "PAGE", 3)
    with django_capture_on_commit_callbacks(execute=True):
        approve(laporan, verifikator)
    # Pages of 3: people[1] is on the first, people[6] on the third; the
    # second page gives e-mail nobody and no delivery.
    batches = Pengiriman.objects.filter(kanal="email", peristiwa="report.published")
    assert sorted(batches.values_list("potongan", flat=True)) == [1, 3]
    assert sorted(batches.values_list("penerima", flat=True)) == [people[1].pk, people[6].pk]
    assert sorted(message.to[0] for message in mail.outbox
                  if laporan.judul in message.body) == sorted(
        [people[1].email, people[6].email])
    assert told(people) == 7


# -- operations view -------------------------------------------------------------------


def broadcast_for(petugas, verifikator, capture, n=0):
    laporan = make_report(petugas, submit=True, judul=f"Banjir di Paringin {n}")
    with capture(execute=True):
        approve(laporan, verifikator)
    return Siaran.objects.get(laporan=laporan)


def test_administrator_sees_each_broadcast_and_its_batches(
    client, administrator, petugas, verifikator, channel, django_capture_on_commit_callbacks
):
    followers(3)
    first = broadcast_for(petugas, verifikator, django_capture_on_commit_callbacks)
    client.force_login(administrator)

    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/notifications/siaran/")
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    listing()  # warm-up: the session's first request
    html, few = listing()
    assert "Banjir di Paringin 0" in html and "1 terkirim" in html
    for n in range(1, 5):
        broadcast_for(petugas, verifikator, django_capture_on_commit_callbacks, n)
    html, many = listing()
    assert "Banjir di Paringin 4" in html and many == few
    detail = client.get(f"/admin/notifications/siaran/inspect/{first.pk}/").content.decode()
    assert "pelanggan" in detail and "1 terkirim" in detail


def test_a_verifier_sees_no_broadcast(client, verifikator, petugas, channel,
                                      django_capture_on_commit_callbacks):
    followers(2)
    siaran = broadcast_for(petugas, verifikator, django_capture_on_commit_callbacks)
    client.force_login(verifikator)
    for url in ("/admin/notifications/siaran/",
                f"/admin/notifications/siaran/inspect/{siaran.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Banjir di Paringin" not in response.content.decode()


def test_a_batch_detail_names_the_first_recipients_only(
    client, administrator, petugas, verifikator, channel, django_capture_on_commit_callbacks
):
    followers(60)
    siaran = broadcast_for(petugas, verifikator, django_capture_on_commit_callbacks)
    batch = Pengiriman.objects.get(siaran=siaran)
    client.force_login(administrator)
    html = client.get(
        f"/admin/notifications/pengiriman/inspect/{batch.pk}/"
    ).content.decode()
    assert "dan 10 lainnya" in html
