import logging

from cms.reports.events import report_verified

logger = logging.getLogger(__name__)


@report_verified.connect
def log_verified(event, laporan, actor, **kwargs):
    logger.info("Laporan %s diverifikasi oleh %s", laporan.nomor, actor)
