"""Indexes for the CAP feed (plugins/cap_alerts).

The feed reads the newest public alerts by their own time (last publication)
and the newest public retractions. Ordering by first_published_at DESC put the
NULLs of every never-published report first, so PostgreSQL read past all of
them (100k drafts) before the first alert. Each index holds exactly the rows
of one read, newest first, so a read stops after one page however many
reports were never published."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_kode_wilayah_kecamatan'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='laporan',
            index=models.Index(condition=models.Q(('first_published_at__isnull', False), ('klasifikasi', 'publik'), ('live', True), ('nomor__isnull', False)), fields=['-last_published_at', '-id'], name='laporan_cap_feed_idx'),
        ),
        migrations.AddIndex(
            model_name='laporan',
            index=models.Index(condition=models.Q(('ditarik_pada__isnull', False), ('first_published_at__isnull', False), ('klasifikasi', 'publik'), ('live', False), ('nomor__isnull', False)), fields=['-ditarik_pada', '-id'], name='laporan_cap_cancel_idx'),
        ),
    ]
