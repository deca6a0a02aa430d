"""What happens when a workflow is approved."""

from wagtail.workflows import publish_workflow_state


def finish_workflow(workflow_state, user=None):
    # Imported here: Wagtail imports this hook while its own models load.
    from .models import Laporan

    content = workflow_state.content_object
    if isinstance(content, Laporan):
        # The verifier's approval is the permission to publish: the task only
        # offered "approve" to users the report policy lets verify this report.
        # Model-level "publish" stays off so nobody can publish past the workflow.
        content.get_latest_revision().publish(user=user, skip_permission_checks=True)
        return
    publish_workflow_state(workflow_state, user=user)
