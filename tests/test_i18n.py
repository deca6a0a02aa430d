"""The English catalogue: source strings are Bahasa Indonesia, English comes from
locale/en/LC_MESSAGES/django.{po,mo} and is chosen per request by LocaleMiddleware."""

import ast
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

LOGIN_QUERY = 'mutation { login(username: "x", password: "y") { errors { code message } } }'

# (Indonesian source, English translation) for labels in templates/base.html.
NAV_LABELS = [
    ("Beranda", "Home"),
    ("Berita", "News"),
    ("Fasilitas", "Facilities"),
    ("Langsung ke konten utama", "Skip to main content"),
]


def _get(client, path, language):
    response = client.get(path, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _login_errors(client, language):
    response = client.post(
        "/graphql/",
        json.dumps({"query": LOGIN_QUERY}),
        content_type="application/json",
        headers={"accept-language": language},
    )
    return response.json()["data"]["login"]["errors"]


@pytest.mark.django_db
def test_home_page_in_english(client):
    html = _get(client, "/", "en")
    assert '<html lang="en"' in html
    for indonesian, english in NAV_LABELS:
        assert f">{english}<" in html
        assert f">{indonesian}<" not in html


@pytest.mark.django_db
def test_home_page_in_indonesian(client):
    html = _get(client, "/", "id")
    assert '<html lang="id"' in html
    for indonesian, english in NAV_LABELS:
        assert f">{indonesian}<" in html
        assert f">{english}<" not in html


@pytest.mark.django_db
def test_report_archive_heading_in_english(client):
    html = _get(client, "/laporan/", "en")
    assert "<h1>Early-warning report archive</h1>" in html
    assert "Arsip laporan kewaspadaan dini" not in html
    html = _get(client, "/laporan/", "id")
    assert "<h1>Arsip laporan kewaspadaan dini</h1>" in html


@pytest.mark.django_db
def test_graphql_login_error_follows_accept_language(client):
    errors = _login_errors(client, "en")
    assert [e["message"] for e in errors] == ["Incorrect username or password."]
    errors = _login_errors(client, "id")
    assert [e["message"] for e in errors] == ["Nama pengguna atau kata sandi salah."]


def _po_string(lines):
    """Join a msgid/msgstr value spread over quoted continuation lines."""
    return "".join(ast.literal_eval(line) for line in lines)


def _parse_po(path):
    """Minimal .po reader: a list of entries, each {keyword: text, "flags": set}.
    Obsolete (#~) entries are skipped."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and any(k.startswith("msgid") for k in entry):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key].append(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = [value]
    return [{k: (v if k == "flags" else _po_string(v)) for k, v in e.items()} for e in entries]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = _parse_po(PO_FILE)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert len(messages) > 300
    untranslated, fuzzy = [], []
    for entry in messages:
        if "fuzzy" in entry["flags"]:
            fuzzy.append(entry["msgid"])
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or not all(strings):
            untranslated.append(entry["msgid"])
        if "msgid_plural" in entry:
            assert {"msgstr[0]", "msgstr[1]"} <= entry.keys(), entry["msgid"]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_is_present():
    assert PO_FILE.with_suffix(".mo").is_file()


# The same --ignore list as the makemessages command in the README / COMMON rules.
MAKEMESSAGES_IGNORE = [
    ".venv", "bench", "tests", "plugins/examples", "build", "node_modules", "graphql", "frontend",
]


def _message_keys(entries):
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if e["msgid"]}


def test_catalogue_covers_every_source_string(tmp_path, monkeypatch):
    """CATALOGUE COMPLETENESS: extracts the strings from a copy of the sources
    (makemessages, so the real catalogue is never rewritten) and fails on any
    msgid the committed django.po lacks. On failure: run makemessages, translate
    the new entries, compilemessages (see the README). About 10 s."""
    base = Path(settings.BASE_DIR)
    skipped = {".git", ".venv", "locale", "sikanda.egg-info", *MAKEMESSAGES_IGNORE}
    for item in base.iterdir():
        if item.name in skipped or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, tmp_path / item.name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, tmp_path / item.name)
    shutil.copytree(base / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE,
                     keep_pot=True, verbosity=0, stdout=io.StringIO())
    extracted = _message_keys(_parse_po(tmp_path / "locale" / "django.pot"))
    committed = _message_keys(_parse_po(PO_FILE))
    assert len(extracted) > 300
    missing = sorted(extracted - committed, key=lambda key: key[1])
    assert missing == [], (
        f"{len(missing)} source strings have no entry in {PO_FILE}; run makemessages "
        f"and translate them: {[key[1] for key in missing[:10]]}"
    )
