from cms.reports import events

RECEIVED = []
FAIL = {"on": False}


@events.report_submitted.connect
@events.changes_requested.connect
@events.report_verified.connect
@events.report_published.connect
@events.report_withdrawn.connect
def record(event, laporan, actor, comment, **kwargs):
    RECEIVED.append((event.name, laporan.pk, getattr(actor, "username", None), comment))


@events.report_verified.connect
def explode(event, laporan, **kwargs):
    if FAIL["on"]:
        raise RuntimeError("plugin contoh sengaja gagal")
