from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Task = apps.get_model("reports", "VerifikasiKecamatanTask")

    task_ct, _ = ContentType.objects.get_or_create(app_label="reports", model="verifikasikecamatantask")
    laporan_ct, _ = ContentType.objects.get_or_create(app_label="reports", model="laporan")
    task = Task.objects.create(name="Verifikasi oleh verifikator kecamatan", content_type=task_ct, active=True)
    workflow = Workflow.objects.create(name="Verifikasi laporan ATHG", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(content_type=laporan_ct, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_laporan"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
