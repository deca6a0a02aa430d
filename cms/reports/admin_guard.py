"""The guard in front of every Wagtail admin URL that can address a report.

Wagtail registers a URL pattern for each of its generic views (edit, history,
revisions, compare, workflow actions, chooser, ...); an upgrade may add more.
Each pattern of the report viewsets is wrapped here according to an explicit
table, and a pattern whose name is not in the table answers 404: the guard
fails closed. `tests/reports/test_admin_urls.py` walks the URL resolver and
fails when the tables and the registered patterns drift apart.

A report the user may not see does not exist for them: 404, exactly as for an
id that was never used, before any Wagtail view runs. Ids of revisions, task
states and workflow states in the URL must belong to that same report (a
verifier cannot act on a report of another kecamatan by naming its task state
next to a report they may see).
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.models import Revision, TaskState, WorkflowState

from .models import Laporan
from .permissions import laporan_policy

# What a URL addresses, and so what the guard checks before the view runs.
LISTING = "listing"  # rows come from laporan_policy.visible_to (the views' querysets)
REPORT = "report"  # kwargs["pk"] names one report: the user must be allowed to see it
REPORTS_IN_QUERY = "reports_in_query"  # ?id=…&id=…: every id must be visible
CREATE = "create"  # a new report: administrators only
REPORT_CREATE = "report_create"  # a new report from an existing one (copy)
REMOVED = "removed"  # no use for reports: always 404

SNIPPET_URLS = {
    "list": LISTING,
    "list_results": LISTING,
    "add": CREATE,
    "preview_on_add": CREATE,
    "copy": REPORT_CREATE,
    "edit": REPORT,
    "delete": REPORT,
    "usage": REPORT,
    "history": REPORT,
    "history_results": REPORT,
    "inspect": REPORT,
    "preview_on_edit": REPORT,
    "revisions_view": REPORT,
    "revisions_revert": REPORT,
    "revisions_compare": REPORT,
    "revisions_unschedule": REPORT,
    "unpublish": REPORT,
    "lock": REPORT,
    "unlock": REPORT,
    "workflow_action": REPORT,
    "collect_workflow_action_data": REPORT,
    "confirm_workflow_cancellation": REPORT,
    "workflow_history": REPORT,
    "workflow_history_detail": REPORT,
    "workflow_preview": REPORT,
}

CHOOSER_URLS = {
    "choose": LISTING,
    "choose_results": LISTING,
    "chosen": REPORT,
    "chosen_multiple": REPORTS_IN_QUERY,
    # Reports are created in the report editor (with reporter and channel),
    # never from a chooser modal.
    "create": REMOVED,
}

# The verification desk (cms/desk), SIKANDA's own screens for verifiers.
DESK_URLS = {
    "queue": LISTING,  # laporan_policy.verifiable_by: only this user's queue
    "detail": REPORT,
    "approve": REPORT,
    "request_changes": REPORT,
    "retract": REPORT,
}


# The follow-up's pages of one report (cms/followup/admin_views.py, mounted
# at reports/laporan/<pk>/tindak-lanjut/): the timeline, disposition, its
# withdrawal, a step on an agency's behalf, and incident linking. Ids of
# dispositions and follow-ups come in the POST body and are bound to this
# report by the views and the follow-up service.
FOLLOWUP_URLS = {
    "timeline": REPORT,
    "issue": REPORT,
    "withdraw": REPORT,
    "step": REPORT,
    "incident": REPORT,
}


def find_report(user, pk):
    """The report `pk` if this user may see it; Http404 otherwise (also for
    malformed ids, which Wagtail's regex patterns let through)."""
    try:
        pk = Laporan._meta.pk.to_python(unquote(str(pk)))
    except ValidationError:
        raise Http404 from None
    laporan = Laporan.objects.filter(pk=pk).first()
    if laporan is None or not laporan_policy.user_can_view(user, laporan):
        raise Http404
    return laporan


def current_task_state(laporan, task_state_id):
    """The task state `task_state_id` if it is the task in progress of this
    report's workflow in progress, else None. A task state id is a sequential
    number: without this check it could name any other report's task."""
    try:
        task_state_id = int(task_state_id)
    except (TypeError, ValueError):
        return None
    workflow_state = (
        WorkflowState.objects.for_instance(laporan)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS, current_task_state_id=task_state_id)
        .select_related("current_task_state")
        .first()
    )
    if workflow_state is None:
        return None
    task_state = workflow_state.current_task_state
    return task_state if task_state.status == TaskState.STATUS_IN_PROGRESS else None


def _revision_of(laporan, revision_id):
    if revision_id in ("live", "earliest", "latest"):
        return True
    return Revision.objects.for_instance(laporan).filter(pk=revision_id).exists()


def _workflow_state_of(laporan, workflow_state_id):
    return WorkflowState.objects.for_instance(laporan).filter(pk=workflow_state_id).exists()


# Other ids a report URL may carry, and how each is tied to that report.
# Wagtail's views look some of these up again (and bind them to the object);
# checking here too keeps a view that forgets from acting on another report.
BOUND_KWARGS = {
    "revision_id": _revision_of,
    "revision_id_a": _revision_of,
    "revision_id_b": _revision_of,
    "task_state_id": lambda laporan, value: current_task_state(laporan, value) is not None,
    "workflow_state_id": _workflow_state_of,
    # The workflow preview looks up the task's state through this report's
    # revisions only.
    "task_id": lambda laporan, value: True,
    "action_name": lambda laporan, value: True,
}


def _check(request, kind, kwargs):
    user = request.user
    if kind == LISTING:
        return
    if kind == REMOVED:
        raise Http404
    if kind == CREATE:
        if not laporan_policy.is_administrator(user):
            raise Http404
        return
    if kind == REPORTS_IN_QUERY:
        ids = request.GET.getlist("id")
        for pk in dict.fromkeys(ids):
            find_report(user, pk)
        return
    laporan = find_report(user, kwargs.get("pk"))
    if kind == REPORT_CREATE and not laporan_policy.is_administrator(user):
        raise Http404
    for name, value in kwargs.items():
        if name == "pk":
            continue
        bound = BOUND_KWARGS.get(name)
        if bound is None or not bound(laporan, value):
            raise Http404


def guarded(view, kind):
    @wraps(view)
    def guard(request, *args, **kwargs):
        _check(request, kind, kwargs)
        return view(request, *args, **kwargs)

    # Wagtail's URL decorators copy this marker onto their wrappers; the URL
    # test reads it from the resolved callback.
    guard.laporan_guard = kind
    return guard


def guard_urlpatterns(patterns, table):
    """Wrap every pattern by its entry in `table`; unknown names answer 404."""
    for pattern in patterns:
        pattern.callback = guarded(pattern.callback, table.get(pattern.name, REMOVED))
    return patterns
