"""A migration no database has applied: stands for a release deployed before
its `migrate` ran (tests/ops/test_health.py points the ops app here)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = []
