"""Backup and restore of a Préau instance: its database and its media files.

    manage.py backup <dir>             writes <dir>/database.dump (PostgreSQL: pg_dump -Fc)
                                       or <dir>/database.sqlite3 (SQLite: the backup API),
                                       <dir>/media.tar.gz and <dir>/manifest.json
    manage.py restore <dir> [--yes]    puts both back; refuses a database that holds tables
                                       unless --yes, and checks the ledger totals afterwards

The manifest says when and from what the backup was made (engine, applied migrations), and
the totals of the hours ledger (preau.hours Entry) and the media files: the restore compares
the restored instance with them, so that a restore that lost rows or files says so.

The dump is consistent: pg_dump reads one snapshot; the SQLite backup API copies the pages
under a read lock. Media files are archived after the database, so a file uploaded during the
backup may be in the archive without its row (harmless), never a row without its file... except
for a file deleted between the two steps, which the restore reports as missing."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Sum
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; its message is French, for the operator."""


# What a backup promises to bring back --------------------------------------------------------


def ledger_totals(using: str = "default") -> dict[str, dict[str, str | int]]:
    """{school year: {"entries", "presence_hours", "distance_hours"}} of the hours ledger, and
    "all" over every year: what the restored instance must show again."""
    from preau.hours.models import Entry

    rows = (
        Entry.objects.using(using)
        .values("school_year")
        .annotate(n=Count("pk"), presence=Sum("presence_hours"), distance=Sum("distance_hours"))
        .order_by("school_year")
    )
    totals: dict[str, dict[str, str | int]] = {}
    everything = {"entries": 0, "presence": Decimal(0), "distance": Decimal(0)}
    for row in rows:
        totals[str(row["school_year"])] = {
            "entries": row["n"],
            "presence_hours": str(row["presence"]),
            "distance_hours": str(row["distance"]),
        }
        everything["entries"] += row["n"]
        everything["presence"] += row["presence"]
        everything["distance"] += row["distance"]
    totals["all"] = {
        "entries": everything["entries"],
        "presence_hours": str(everything["presence"].quantize(Decimal("0.1"))),
        "distance_hours": str(everything["distance"].quantize(Decimal("0.1"))),
    }
    return totals


def media_files(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under the media folder."""
    found = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = _sha256(path)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations(using: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def has_tables(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


# Database dumps --------------------------------------------------------------------------


def _pg_environment(db: dict) -> dict[str, str]:
    """The connection of the Django settings, for pg_dump and pg_restore (password through
    the environment, never on a command line that `ps` shows)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} est introuvable : installez le client PostgreSQL.")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{command[0]} a échoué : {done.stderr.strip()}")


def _dump_database(connection, target: Path) -> str:
    if connection.vendor == "postgresql":
        path = target / PG_DUMP
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            _pg_environment(connection.settings_dict),
        )
        return PG_DUMP
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target / SQLITE_DUMP)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_DUMP
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


def _restore_database(connection, source: Path, dump: str) -> None:
    if connection.vendor == "postgresql":
        if dump != PG_DUMP:
            raise BackupError("Cette sauvegarde vient d’une base SQLite, pas PostgreSQL.")
        connection.close()  # its idle session would make the drops wait
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source / PG_DUMP),
            ],
            _pg_environment(connection.settings_dict),
        )
        return
    if connection.vendor == "sqlite":
        if dump != SQLITE_DUMP:
            raise BackupError("Cette sauvegarde vient d’une base PostgreSQL, pas SQLite.")
        connection.ensure_connection()
        copy = sqlite3.connect(source / SQLITE_DUMP)
        try:
            copy.backup(connection.connection)  # page by page, in one write transaction
        finally:
            copy.close()
        connection.close()
        return
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


# Backup and restore ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    directory: Path
    manifest: dict


def backup(directory: Path, *, using: str = "default") -> Outcome:
    """Writes a backup into `directory`, which must not exist or be empty."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"Le dossier {directory} n’est pas vide : choisissez-en un nouveau.")
    directory.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    totals = ledger_totals(using)
    dump = _dump_database(connection, directory)
    media_root = Path(settings.MEDIA_ROOT)
    files = media_files(media_root)
    with tarfile.open(directory / MEDIA_ARCHIVE, "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "database": dump,
        "migrations": applied_migrations(using),
        "ledger_totals": totals,
        "media_files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return Outcome(directory, manifest)


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} est introuvable : ce dossier n’est pas une sauvegarde Préau.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("Format de sauvegarde inconnu.")
    return manifest


def restore(directory: Path, *, confirmed: bool, using: str = "default") -> Outcome:
    """Puts a backup back: the database, then the media folder (replaced as a whole). Refuses a
    database holding tables unless `confirmed`. Raises BackupError when the restored instance
    does not show the backup's ledger totals or files."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    connection = connections[using]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Sauvegarde d’une base {manifest['engine']}, base actuelle {connection.vendor} : "
            "restaurez-la dans une base du même type."
        )
    if has_tables(using) and not confirmed:
        raise BackupError(
            "La base de données n’est pas vide : la restauration remplacerait tout son contenu. "
            "Relancez avec --yes pour confirmer."
        )
    _restore_database(connection, directory, manifest["database"])
    media_root = Path(settings.MEDIA_ROOT)
    _replace_media(media_root, directory / MEDIA_ARCHIVE)
    problems = []
    if ledger_totals(using) != manifest["ledger_totals"]:
        problems.append("les totaux du registre des heures diffèrent de ceux de la sauvegarde")
    if media_files(media_root) != manifest["media_files"]:
        problems.append("les fichiers déposés diffèrent de ceux de la sauvegarde")
    if problems:
        raise BackupError("Restauration incomplète : " + " ; ".join(problems) + ".")
    return Outcome(directory, manifest)


def _replace_media(media_root: Path, archive_path: Path) -> None:
    """Extracts into a fresh folder beside the media folder, then swaps: an extraction that
    fails (a full disk) leaves the current media folder as it was."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")
    fresh = media_root.with_name(f".{media_root.name}-restore-{stamp}")
    old = media_root.with_name(f".{media_root.name}-old-{stamp}")
    try:
        fresh.mkdir()
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(fresh, filter="data")  # no absolute paths, no links out
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if media_root.exists():
        media_root.rename(old)
    fresh.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)
