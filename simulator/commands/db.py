"""`shadowbox db upgrade|sync|status`: the history database's schema and its spool files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.errors import ShadowboxError, display_path
from simulator.store import Store, spool_dir, spooled
from simulator.wording import counted


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "db",
        description="The history database (--db URL or SHADOWBOX_DB; else the SQLite file in "
        "your data folder). `upgrade` creates the schema in an empty database or migrates an "
        "older one (this also happens on first use); `sync` uploads the turns kept in spool "
        "files while the database was unreachable; `status` shows where history goes.",
    )
    p.add_argument("action", choices=("upgrade", "sync", "status"))
    p.set_defaults(func=run)


def sync(store: Store) -> list[tuple[str, int | str, int]]:
    """Upload every spool file into `store`; returns (kind, id, turns or answers) per upload.

    A file that cannot be read is reported on stderr and kept; one the database refuses
    stops the sync with that error (the rest stay for the next try).
    """
    from simulator.drill_store import DrillStore

    done: list[tuple[str, int | str, int]] = []
    for path in spooled():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kind = data["kind"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"{display_path(path)}: error: not a Shadowbox spool file ({exc}); "
                  "left in place", file=sys.stderr)
            continue
        if kind == "session":
            sid = store.upload(data, None, verify=True)
            done.append(("session", sid, len(data["turns"])))
        elif kind == "drill":
            DrillStore(store).upload(data)
            done.append(("drill", data["drill"]["id"], len(data["answers"])))
        else:
            print(f"{display_path(path)}: error: unknown spool kind {kind!r}; left in place",
                  file=sys.stderr)
            continue
        _remove(path)
    return done


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError as exc:
        raise ShadowboxError(f"{display_path(path)}: uploaded, but cannot remove the spool "
                             f"file: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    store = Store()
    if args.action == "upgrade":
        from simulator.db import open_engine, upgrade

        engine = open_engine(store.url)
        try:
            before, after = upgrade(engine, store.user)
        except ShadowboxError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as one line below
            from simulator.db import db_errors, reason

            if isinstance(exc, db_errors()):
                raise ShadowboxError(f"{store.where}: cannot upgrade the history database: "
                                     f"{reason(exc)}") from None
            raise
        finally:
            engine.dispose()
        if before == after:
            print(f"{store.where}: schema {after}, up to date")
        else:
            print(f"{store.where}: schema {before or 'none'} -> {after}")
        return 0
    if args.action == "status":
        try:
            version, failed = store.version(), None
        except ShadowboxError as exc:  # the spool is local: still worth showing
            version, failed = None, exc
        print(f"database: {store.where}")
        if failed is None:
            print(f"schema:   {version or 'none'}")
        print(f"user:     {store.user}")
        waiting = spooled()
        print(f"spooled:  {counted(len(waiting), 'file')} in {display_path(spool_dir())}"
              + (" (shadowbox db sync uploads them)" if waiting else ""), flush=True)
        if failed is not None:
            raise failed
        return 0
    done = sync(store)
    if not done:
        print(f"Nothing to sync: no spool files in {display_path(spool_dir())}.")
    for kind, ident, n in done:
        what = "turns" if kind == "session" else "answers"
        print(f"uploaded {kind} {ident} ({n} {what}) to {store.where}")
    return 0
