"""Every Wagtail admin URL that can address a report goes through the report
policy (cms/reports/admin_guard.py), and this file knows them all.

The resolver is walked recursively under /admin/: a pattern of the report
viewsets, a generic pattern that takes a model name or an object id, or a
bulk action registered for reports that is not listed here fails the first
tests. A Wagtail upgrade that adds a view therefore cannot open a hole
silently: it shows up here, and until it is classified the guard answers 404.

The other tests request each of those URLs as users who may not see the
report (GET and POST) and check that the answer is 404 and that nothing
changed, and that a workflow action cannot borrow another report's task
state."""

import json
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, path, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from cms.accounts import roles
from cms.reports import admin_guard
from cms.reports.admin_views import LaporanBulkActionRemoved
from cms.reports.assignments import FILE_REPORT, assign
from cms.reports.models import Laporan, PenilaianVerifikasi, Status
from cms.reports.permissions import laporan_policy
from tests import factories

from .reports_factories import make_report, photo

pytestmark = pytest.mark.django_db

SNIPPETS = "wagtailsnippets_reports_laporan"
CHOOSER = "wagtailsnippetchoosers_reports_laporan"
DESK = "sikanda_desk"
FOLLOWUP = "followup_admin"
G = admin_guard

# Every pattern Wagtail registers for the report model, and what guards it.
COVERED = {
    f"{SNIPPETS}:list": G.LISTING,
    f"{SNIPPETS}:list_results": G.LISTING,
    f"{SNIPPETS}:add": G.CREATE,
    f"{SNIPPETS}:preview_on_add": G.CREATE,
    f"{SNIPPETS}:copy": G.REPORT_CREATE,
    f"{SNIPPETS}:edit": G.REPORT,
    f"{SNIPPETS}:delete": G.REPORT,
    f"{SNIPPETS}:usage": G.REPORT,
    f"{SNIPPETS}:history": G.REPORT,
    f"{SNIPPETS}:history_results": G.REPORT,
    f"{SNIPPETS}:inspect": G.REPORT,
    f"{SNIPPETS}:preview_on_edit": G.REPORT,
    f"{SNIPPETS}:revisions_view": G.REPORT,
    f"{SNIPPETS}:revisions_revert": G.REPORT,
    f"{SNIPPETS}:revisions_compare": G.REPORT,
    f"{SNIPPETS}:revisions_unschedule": G.REPORT,
    f"{SNIPPETS}:unpublish": G.REPORT,
    f"{SNIPPETS}:lock": G.REPORT,
    f"{SNIPPETS}:unlock": G.REPORT,
    f"{SNIPPETS}:workflow_action": G.REPORT,
    f"{SNIPPETS}:collect_workflow_action_data": G.REPORT,
    f"{SNIPPETS}:confirm_workflow_cancellation": G.REPORT,
    f"{SNIPPETS}:workflow_history": G.REPORT,
    f"{SNIPPETS}:workflow_history_detail": G.REPORT,
    f"{SNIPPETS}:workflow_preview": G.REPORT,
    f"{CHOOSER}:choose": G.LISTING,
    f"{CHOOSER}:choose_results": G.LISTING,
    f"{CHOOSER}:chosen": G.REPORT,
    f"{CHOOSER}:chosen_multiple": G.REPORTS_IN_QUERY,
    f"{CHOOSER}:create": G.REMOVED,
    # The verification desk (cms/desk).
    f"{DESK}:queue": G.LISTING,
    f"{DESK}:detail": G.REPORT,
    f"{DESK}:approve": G.REPORT,
    f"{DESK}:request_changes": G.REPORT,
    f"{DESK}:retract": G.REPORT,
    # The follow-up's pages of a report (cms/followup).
    f"{FOLLOWUP}:timeline": G.REPORT,
    f"{FOLLOWUP}:issue": G.REPORT,
    f"{FOLLOWUP}:withdraw": G.REPORT,
    f"{FOLLOWUP}:step": G.REPORT,
    f"{FOLLOWUP}:incident": G.REPORT,
}

# Patterns shared by many models that take the model (or an object id) from
# the URL, and why a report cannot be reached through them.
GENERIC_KWARGS = {
    "app_label", "model_name", "app_name", "content_type_app_name", "content_type_model_name",
    "object_id",
}
GENERIC = {
    "wagtail_bulk_action": "every bulk action for reports is LaporanBulkActionRemoved (404)",
    "wagtailadmin_editing_sessions:ping": "Wagtail asks the policy: change, or the task's "
                                          "user_can_access_editor (the policy); else 404",
    "wagtailadmin_tag_model_autocomplete": "tag models only; reports have no tags",
    "wagtailadmin_pages:add": "page types only",
    "wagtailadmin_pages:preview_on_add": "page types only",
    "wagtailadmin_pages:type_use": "page types only",
    "wagtailadmin_pages:type_use_results": "page types only",
    "wagtailadmin_pages:choose_parent": "page types only",
    "wagtailadmin_workflows:add_task": "task types only",
    "wagtailsettings:edit": "registered settings models only",
    "wagtailsettings:preview_on_edit": "registered settings models only",
}


def admin_patterns():
    """(full name, route, group names, callback) of every pattern under /admin/."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            else:
                yield (
                    f"{namespace}{pattern.name}" if pattern.name else None,
                    prefix + str(pattern.pattern),
                    set(pattern.pattern.regex.groupindex),
                    pattern.callback,
                )

    return [p for p in walk(get_resolver().url_patterns, "", "") if p[1].startswith("admin/")]


def report_patterns():
    return {
        name: (route, groups, callback)
        for name, route, groups, callback in admin_patterns()
        if name and (
            name.startswith((f"{SNIPPETS}:", f"{CHOOSER}:", f"{DESK}:"))
            or "reports/laporan" in route
        )
    }


def test_every_report_url_is_in_the_covered_list():
    found = report_patterns()
    assert set(found) == set(COVERED), (
        "Admin URLs for reports changed. Classify each new one in "
        "cms/reports/admin_guard.py and here: "
        f"new={sorted(set(found) - set(COVERED))} gone={sorted(set(COVERED) - set(found))}"
    )
    tables = {
        **{f"{SNIPPETS}:{k}": v for k, v in G.SNIPPET_URLS.items()},
        **{f"{CHOOSER}:{k}": v for k, v in G.CHOOSER_URLS.items()},
        **{f"{DESK}:{k}": v for k, v in G.DESK_URLS.items()},
        **{f"{FOLLOWUP}:{k}": v for k, v in G.FOLLOWUP_URLS.items()},
    }
    assert tables == COVERED
    for name, (_route, groups, callback) in found.items():
        # The guard's marker survives Wagtail's own decorators (admin access,
        # 404 page, never_cache): the resolved callback is guarded.
        assert getattr(callback, "laporan_guard", None) == COVERED[name], name
        if COVERED[name] in (G.REPORT, G.REPORT_CREATE):
            assert "pk" in groups, name
            assert groups - {"pk"} <= set(G.BOUND_KWARGS), (name, groups)


def test_every_generic_url_that_takes_a_model_or_object_id_is_known():
    generic = {
        name or route for name, route, groups, _ in admin_patterns() if groups & GENERIC_KWARGS
    }
    assert generic == set(GENERIC), (
        f"new={sorted(generic - set(GENERIC))} gone={sorted(set(GENERIC) - generic)}"
    )


def test_no_bulk_action_for_reports_but_the_refusal():
    actions = set(bulk_action_registry.get_bulk_actions_for_model("reports", "laporan"))
    assert actions == {LaporanBulkActionRemoved}


def test_no_group_holds_a_django_permission_on_reports():
    # Wagtail's cross-model screens (site history, workflow reports, snippet
    # index counts) filter by Django model permissions, not by the policy.
    # Nobody but a superuser (an administrator in the policy) may hold one.
    report_type = ContentType.objects.get_for_model(Laporan)
    assert not Permission.objects.filter(content_type=report_type, group__isnull=False).exists()
    assert not Permission.objects.filter(content_type=report_type, user__isnull=False).exists()


def test_an_unclassified_pattern_answers_404():
    patterns = G.guard_urlpatterns(
        [path("baru/<int:pk>/", lambda request, pk: HttpResponse("isi"), name="baru")],
        G.SNIPPET_URLS,
    )
    request = RequestFactory().get("/baru/1/")
    request.user = factories.make_user(is_superuser=True)
    with pytest.raises(Http404):
        patterns[0].callback(request, pk=1)


# -- the URLs as users who may not see the report -----------------------------------


@pytest.fixture
def people(petugas, verifikator, pimpinan, administrator):
    halong = factories.kecamatan("halong")
    both = factories.make_user(roles.VERIFIKATOR, "petugas.verifikator.halong", kecamatan=[halong])
    both.groups.add(roles_group(roles.PETUGAS))
    assign(both, FILE_REPORT, halong)
    return {
        "author": petugas,
        "verifier": verifikator,
        "administrator": administrator,
        "verifier_halong": factories.make_user(
            roles.VERIFIKATOR, "verifikator.halong", kecamatan=[halong]
        ),
        "pimpinan": pimpinan,
        # A petugas who is not the author: with admin access (also verifier
        # elsewhere) and without (the app only).
        "officer_verifier_halong": both,
        "officer_halong": factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[halong]),
        "anonymous": None,
    }


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


@pytest.fixture
def targets(people):
    author = people["author"]
    return {
        "waiting": make_report(author, submit=True, judul="Rahasia menunggu", uploads=[photo()]),
        "draft": make_report(author, judul="Rahasia draf", uploads=[photo()]),
    }


# Who must get 404 for which report. The kecamatan's own verifier does not
# see unsent drafts.
REFUSED = {
    "waiting": ["verifier_halong", "pimpinan", "officer_verifier_halong"],
    "draft": ["verifier", "verifier_halong", "pimpinan", "officer_verifier_halong"],
}
# No admin access at all: Wagtail's login redirect comes first, for every
# id alike, so it says nothing about whether the report exists.
NO_ADMIN = ["officer_halong", "anonymous"]


def sample_kwargs(laporan, waiting):
    task_state = waiting.current_workflow_task_state
    return {
        "pk": laporan.pk,
        "revision_id": laporan.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "action_name": "approve",
        # The waiting report's own task: for the draft it belongs to another
        # report, for the waiting report the user may still not see it.
        "task_state_id": task_state.pk,
        "workflow_state_id": waiting.current_workflow_state.pk,
        "task_id": task_state.task_id,
    }


def report_urls(laporan, waiting, missing=False):
    """Every URL that addresses `laporan` (or, with `missing`, an id that
    does not exist), with its name."""
    values = sample_kwargs(laporan, waiting)
    if missing:
        values["pk"] = Laporan.objects.order_by("-pk").first().pk + 1000
    urls = {}
    for name, (_route, groups, _callback) in report_patterns().items():
        kind = COVERED[name]
        if kind in (G.REPORT, G.REPORT_CREATE):
            urls[name] = reverse(name, kwargs={g: values[g] for g in groups})
        elif kind in (G.REPORTS_IN_QUERY, G.REMOVED):
            urls[name] = f"{reverse(name)}?id={values['pk']}"
    urls["wagtail_bulk_action"] = (
        reverse("wagtail_bulk_action", args=["reports", "laporan", "delete"])
        + f"?id={values['pk']}"
    )
    urls["wagtailadmin_editing_sessions:ping"] = reverse(
        "wagtailadmin_editing_sessions:ping", args=["reports", "laporan", values["pk"], 1]
    )
    return urls


POST_DATA = {
    "comment": "Disetujui.", "keandalan_sumber": "A", "kredibilitas_informasi": "1",
    "judul": "DIUBAH", "fakta": "DIUBAH", "is_editing": "1",
    # The desk's forms (valid data: only the guard may stop them).
    "setujui-keandalan_sumber": "A", "setujui-kredibilitas_informasi": "1",
    "perbaikan-comment": "Perbaiki.", "tarik-alasan": "Ditarik.",
}


def send(client, method, url):
    # Data only with POST: a GET with data would replace the URL's ?id=….
    return client.post(url, POST_DATA) if method == "post" else client.get(url)


def state_of_everything():
    """What any of these URLs could change."""
    counted = [
        Laporan, PenilaianVerifikasi, ModelLogEntry, TaskState, WorkflowState,
        *apps.get_app_config("notifications").get_models(),
    ]
    if apps.is_installed("plugins.webhooks"):
        counted += list(apps.get_app_config("webhooks").get_models())
    from wagtail.admin.models import EditingSession

    return {
        "counts": {model.__name__: model.objects.count() for model in counted + [EditingSession]},
        "reports": list(Laporan.objects.order_by("pk").values_list(
            "pk", "judul", "fakta", "status", "live", "latest_revision_id", "locked", "nomor",
        )),
        "tasks": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "workflows": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
    }


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("target", ["waiting", "draft"])
def test_every_report_url_answers_404_to_users_who_may_not_see_the_report(
    target, client, people, targets
):
    laporan, waiting = targets[target], targets["waiting"]
    urls = report_urls(laporan, waiting)
    before = state_of_everything()
    for role in REFUSED[target]:
        login(client, people[role])
        for name, url in urls.items():
            for method in ("get", "post"):
                if name == "wagtailadmin_editing_sessions:ping" and method == "get":
                    continue  # POST only (405 for everyone)
                response = send(client, method, url)
                assert response.status_code == 404, (role, name, method, response.status_code)
                assert "Rahasia" not in response.content.decode()
    assert state_of_everything() == before


@pytest.mark.parametrize("target", ["waiting", "draft"])
def test_without_admin_access_an_existing_report_looks_like_a_missing_one(
    target, client, people, targets
):
    laporan, waiting = targets[target], targets["waiting"]
    urls, missing = report_urls(laporan, waiting), report_urls(laporan, waiting, missing=True)
    before = state_of_everything()
    for role in NO_ADMIN:
        for name, url in urls.items():
            for method in ("get", "post"):
                # A signed-in user without admin access is signed out by the
                # first admin request (cms/accounts/admin_access.py): sign in
                # again so both requests are made as that user.
                got = send(login(client, people[role]), method, url)
                control = send(login(client, people[role]), method, missing[name])
                assert got.status_code not in (200, 500), (role, name, method)
                assert (got.status_code, unquote(got.get("Location", "")).replace(url, "X")) == (
                    control.status_code,
                    unquote(control.get("Location", "")).replace(missing[name], "X"),
                ), (role, name, method)
    assert state_of_everything() == before


def test_the_same_urls_work_for_the_kecamatan_verifier_and_the_administrator(
    client, people, targets
):
    """The control: the URLs above are well formed, so the 404s are the
    guard's and not a typo's."""
    waiting = targets["waiting"]
    urls = report_urls(waiting, waiting)
    refused_by_design = {"wagtail_bulk_action", f"{CHOOSER}:create"}
    for role in ("verifier", "administrator"):
        login(client, people[role])
        for name, url in urls.items():
            if name in refused_by_design or name == "wagtailadmin_editing_sessions:ping":
                continue
            if COVERED[name] == G.REPORT_CREATE and role != "administrator":
                continue
            response = client.get(url)
            assert response.status_code != 404, (role, name)
            assert response.status_code < 500, (role, name)
    login(client, people["verifier"])
    ping = client.post(urls["wagtailadmin_editing_sessions:ping"])
    assert ping.status_code == 200


@pytest.mark.parametrize("name", sorted(GENERIC))
def test_generic_urls_do_not_reach_reports(name, client, people, targets):
    laporan = targets["waiting"]
    route = next(route for n, route, _, _ in admin_patterns() if n == name)
    values = {
        "app_label": "reports", "app_name": "reports", "content_type_app_name": "reports",
        "model_name": "laporan", "content_type_model_name": "laporan", "object_id": laporan.pk,
    }
    groups = next(groups for n, _, groups, _ in admin_patterns() if n == name)
    kwargs = {g: values.get(g, 1) for g in groups}
    if "action" in kwargs:
        kwargs["action"] = "delete"
    url = reverse(name, kwargs=kwargs) + f"?id={laporan.pk}"
    before = state_of_everything()
    for role in REFUSED["waiting"]:
        login(client, people[role])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (route, role, method, response.status_code)
    assert state_of_everything() == before


ADMIN_LISTINGS_SKIPPED = {
    "wagtailadmin_logout",  # ends the session
    "wagtailadmin_error_test",  # raises on purpose
    "wagtailadmin_javascript_catalog", "wagtailadmin_sprite",
    "wagtail_modeladmin:javascript_catalog",
}


def test_no_admin_screen_without_parameters_names_a_hidden_report(client, people, targets):
    """Lists across models (site history, workflow reports, snippet index,
    search...) as the users who may not see the reports, searching for them."""
    screens = [
        (name, "/" + route) for name, route, groups, _ in admin_patterns()
        if not groups and "^" not in route and "$" not in route and "*" not in route
        and name not in ADMIN_LISTINGS_SKIPPED and not route.startswith("admin/password_reset")
    ]
    assert len(screens) > 50
    for role in REFUSED["draft"]:
        user = people[role]
        hidden = [r.judul for r in targets.values() if not laporan_policy.user_can_view(user, r)]
        assert hidden
        login(client, user)
        for name, url in screens:
            response = client.get(url, {"q": "Rahasia"})
            assert response.status_code < 500, (role, name)
            html = response.content.decode()
            assert not [title for title in hidden if title in html], (role, name, url)


# -- workflow actions with another report's task state ------------------------------


def grading_post(client, url):
    return client.post(url, {
        "comment": "Sesuai.", "keandalan_sumber": "B", "kredibilitas_informasi": "2",
    })


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("view", ["workflow_action", "collect_workflow_action_data"])
def test_a_task_state_of_another_kecamatan_answers_404(action, view, client, people):
    halong = factories.kecamatan("halong")
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[halong])
    own = make_report(people["author"], submit=True, judul="Paringin menunggu")
    other = make_report(halong_officer, submit=True, judul="Halong menunggu", kecamatan=halong)
    before = state_of_everything()

    client.force_login(people["verifier"])
    url = reverse(f"{SNIPPETS}:{view}", args=[
        own.pk, action, other.current_workflow_task_state.pk,
    ])
    assert grading_post(client, url).status_code == 404
    assert client.get(url).status_code == 404
    assert state_of_everything() == before
    other.refresh_from_db()
    assert other.status == Status.MENUNGGU and not other.live

    # The control: with its own task state the same request goes through.
    if view == "workflow_action":
        task_state = own.current_workflow_task_state
        url = reverse(f"{SNIPPETS}:{view}", args=[own.pk, action, task_state.pk])
        assert grading_post(client, url).status_code == 302
        own.refresh_from_db()
        expected = Status.TERVERIFIKASI if action == "approve" else Status.PERLU_PERBAIKAN
        assert own.status == expected


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_an_officer_verifier_cannot_act_on_their_own_report_through_another(action, client):
    paringin = factories.kecamatan("paringin")
    both = factories.make_user(roles.VERIFIKATOR, "petugas.verifikator", kecamatan=[paringin])
    both.groups.add(roles_group(roles.PETUGAS))
    assign(both, FILE_REPORT, paringin)
    colleague = factories.make_user(roles.PETUGAS, kecamatan=[paringin])
    theirs = make_report(both, submit=True, judul="Laporan sendiri")
    colleagues = make_report(colleague, submit=True, judul="Laporan rekan")
    before = state_of_everything()

    client.force_login(both)
    url = reverse(f"{SNIPPETS}:workflow_action", args=[
        colleagues.pk, action, theirs.current_workflow_task_state.pk,
    ])
    assert grading_post(client, url).status_code == 404
    assert state_of_everything() == before
    theirs.refresh_from_db()
    assert theirs.status == Status.MENUNGGU and not PenilaianVerifikasi.objects.exists()


def test_a_finished_task_state_answers_404(client, people):
    laporan = make_report(people["author"], submit=True)
    first = laporan.current_workflow_task_state
    client.force_login(people["verifier"])
    url = reverse(f"{SNIPPETS}:workflow_action", args=[laporan.pk, "reject", first.pk])
    assert grading_post(client, url).status_code == 302
    from cms.reports import services

    services.submit(Laporan.objects.get(pk=laporan.pk), people["author"])
    before = state_of_everything()
    # The old (rejected) task state of the same report no longer acts.
    url = reverse(f"{SNIPPETS}:workflow_action", args=[laporan.pk, "approve", first.pk])
    assert grading_post(client, url).status_code == 404
    assert state_of_everything() == before


def test_chosen_multiple_lists_only_visible_reports(client, people, targets):
    public = make_report(people["author"], submit=True, judul="Akan publik")
    from cms.reports import services

    services.act(public, people["verifier"], "approve", keandalan_sumber="B",
                 kredibilitas_informasi="2")
    url = reverse(f"{CHOOSER}:chosen_multiple")
    login(client, people["verifier_halong"])
    ok = client.get(url, {"id": [public.pk]})
    assert ok.status_code == 200 and "Akan publik" in json.dumps(ok.json())
    mixed = client.get(url, {"id": [public.pk, targets["waiting"].pk]})
    assert mixed.status_code == 404 and "Rahasia" not in mixed.content.decode()
