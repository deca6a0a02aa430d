"""SIKANDA Mobile's first load on a throttled 3G connection.

Run from the project root:

    .venv/bin/python -m bench.mobile_3g [--runs 5] [--cpu 4]

Starts the Django app (cms.settings.test, a throwaway SQLite database: the
first screen asks the server for nothing but files) on 127.0.0.1, opens
/app/ in Debian's Chromium at phone size with Chromium's network emulation
(DevTools protocol Network.emulateNetworkConditions: 1.6 Mbit/s down,
750 kbit/s up, 300 ms latency) and an empty cache, and prints for each run:

- first screen: milliseconds from navigation start until the app has drawn
  its first screen (the login form; the app marks `sikanda:first-screen`
  with performance.mark once it is in the page);
- transfer: bytes on the wire for that load (Network.loadingFinished
  encodedDataLength, headers included) and the number of requests;
- again offline-capable: the same page reloaded once the service worker has
  installed (what every later start costs).

`--cpu N` also slows the CPU N times (Emulation.setCPUThrottlingRate), for a
low-end phone. tests/mobile/test_browser.py uses `measure` to check the
transfer budget in CI (bytes only: times go here, not into tests).
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SIKANDA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
# ~1.6 Mbit/s down, 750 kbit/s up, 300 ms: a usable 3G cell in Balangan's valleys.
THREE_G = {"offline": False, "latency": 300, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
FIRST_SCREEN = "sikanda:first-screen"


def measure(browser, base_url, *, cpu=1, warm=True):
    """One cold load of /app/ (new context: empty cache, no service worker)
    and, if `warm`, one reload after the service worker took over."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True,
                                  has_touch=True, locale="id-ID", timezone_id="Asia/Makassar")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        if cpu > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        transfers = {}
        cdp.on("Network.loadingFinished",
               lambda event: transfers.__setitem__(event["requestId"], event["encodedDataLength"]))

        def first_screen():
            page.wait_for_selector("form [name=username]")
            # The page's CSP forbids eval (no wait_for_function): read the mark.
            for _ in range(200):
                marks = page.evaluate(f"performance.getEntriesByName({FIRST_SCREEN!r})"
                                      ".map(m => m.startTime)")
                if marks:
                    return round(marks[0])
                page.wait_for_timeout(25)
            raise AssertionError("the app never marked its first screen")

        page.goto("/app/", wait_until="commit")
        cold_ms = first_screen()
        page.wait_for_load_state("load")
        result = {"cold_ms": cold_ms, "cold_bytes": sum(transfers.values()),
                  "cold_requests": len(transfers)}
        if warm:
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            transfers.clear()
            page.reload(wait_until="commit")
            result.update(warm_ms=first_screen(), warm_bytes=sum(transfers.values()))
        return result
    finally:
        context.close()


def serve():
    """The Django app on a free port in this process; returns its URL."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu", type=int, default=1, help="CPU slowdown factor (1: none)")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    workdir = tempfile.mkdtemp(prefix="sikanda-3g-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    base_url = serve()
    # The server's own first request (imports, URL resolver) is not the phone's wait.
    import urllib.request

    urllib.request.urlopen(f"{base_url}/app/").read()
    print(f"SIKANDA Mobile first load, 3G profile {THREE_G['downloadThroughput'] * 8 / 1e6:.1f} "
          f"Mbit/s down / {THREE_G['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up / "
          f"{THREE_G['latency']} ms, CPU x{args.cpu}, {args.runs} runs")
    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for number in range(args.runs):
                run = measure(browser, base_url, cpu=args.cpu)
                runs.append(run)
                print(f"  run {number + 1}: first screen {run['cold_ms']} ms, "
                      f"{run['cold_bytes']} bytes in {run['cold_requests']} requests; "
                      f"with the service worker {run['warm_ms']} ms, {run['warm_bytes']} bytes")
        finally:
            browser.close()
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"median: first screen {median['cold_ms']:.0f} ms cold "
          f"({median['cold_bytes']:.0f} bytes, {median['cold_requests']:.0f} requests), "
          f"{median['warm_ms']:.0f} ms from the service worker "
          f"({median['warm_bytes']:.0f} bytes)")


if __name__ == "__main__":
    main()
