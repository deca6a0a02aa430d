from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Task = apps.get_model("recaps", "PersetujuanRekapTask")

    task_ct, _ = ContentType.objects.get_or_create(app_label="recaps", model="persetujuanrekaptask")
    for model, workflow_name, task_name in (
        ("rekapkecamatan", "Persetujuan rekap kecamatan", "Persetujuan oleh Kesbangpol"),
        ("rekapkabupaten", "Pengesahan rekap kabupaten", "Persetujuan dan tanda tangan penandatangan"),
    ):
        model_ct, _ = ContentType.objects.get_or_create(app_label="recaps", model=model)
        task = Task.objects.create(name=task_name, content_type=task_ct, active=True)
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowContentType.objects.update_or_create(
            content_type=model_ct, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [("recaps", "0001_rekap")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
