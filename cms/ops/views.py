"""Probes for the process manager and the load balancer.

/healthz (liveness): the process answers; it touches neither the database
nor the disk, so a database outage never makes an orchestrator restart every
web process at once.

/readyz (readiness): this instance can serve real requests: database,
migrations applied, private and public storage writable, a task worker alive.
503 with a JSON body naming what failed.
"""

import asyncio

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from health_check.views import HealthCheckView

from .health import readiness_checks


@require_safe
def healthz(request):
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadinessView(HealthCheckView):
    """django-health-check's view (executor, per-check time budget, never-cache
    headers) answering JSON only, 503 when a check fails."""

    http_method_names = ["get", "head"]

    async def get(self, request, *args, **kwargs):
        checks = readiness_checks()
        report, failing, pending = {}, [], []
        for name, check in checks:
            reason = check.skipped() if hasattr(check, "skipped") else None
            if reason:
                report[name] = {"status": "skipped", "detail": reason}
            else:
                pending.append((name, check))
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for _name, check in pending)
            )
        for (name, _check), result in zip(pending, results, strict=True):
            entry = {"status": "ok", "ms": round(result.time_taken * 1000, 1)}
            if result.error:
                entry.update(status="fail", detail=str(result.error))
                failing.append(name)
            # What a check found besides its verdict (the worker's stale tasks).
            entry.update(getattr(result.check, "info", {}))
            report[name] = entry
        body = {
            "status": "fail" if failing else "ok",
            "failing": failing,
            "checks": {name: report[name] for name, _check in checks},
        }
        return JsonResponse(body, status=503 if failing else 200)


readyz = ReadinessView.as_view()
