"""A plugin packaged as its own distribution is found through the entry
point and loaded; an incompatible one stops start-up with a clear message.
Each runs in a fresh process, as start-up is what is being tested."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "plugins" / "examples" / "sikanda-plugin-hello"
INCOMPATIBLE = Path(__file__).parent / "dists" / "sikanda-plugin-incompatible"


def install(dist, target):
    # Build from a copy: pip leaves build/ and *.egg-info next to the sources.
    source = target / f"src-{dist.name}"
    shutil.copytree(dist, source)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(source)],
        check=True, capture_output=True, timeout=300,
    )


def manage(target, *args):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "PYTHONPATH": str(target),
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{target}/db.sqlite3",
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hello(tmp_path_factory):
    target = tmp_path_factory.mktemp("site-hello")
    install(HELLO, target)
    return target


def test_distribution_is_discovered_through_the_entry_point(hello):
    result = manage(hello, "plugins")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("sikanda_hello"))
    assert line.split("\t")[1:4] == ["Halo SIKANDA", "1.0.0", "entry point"]


def test_distribution_contributes_to_the_graphql_schema(hello):
    result = manage(hello, "shell", "-c",
                    "from cms.api.schema import schema; print('helloSikanda' in str(schema))")
    assert result.stdout.strip().endswith("True"), result.stderr


def test_without_the_distribution_the_plugin_is_absent(tmp_path):
    result = manage(tmp_path, "plugins")
    assert "sikanda_hello" not in result.stdout


def test_incompatible_plugin_stops_start_up_naming_it_and_the_versions(tmp_path):
    install(INCOMPATIBLE, tmp_path)
    result = manage(tmp_path, "check")
    assert result.returncode != 0
    assert "Plugin 'Plugin masa depan' 2.0.0" in result.stderr
    assert "requires SIKANDA >=99" in result.stderr and "this is SIKANDA 0.1.0" in result.stderr
