"""What the library shows before it has loaded: one card per scenario, kept between runs.

The home screen and `shadowbox list` show cards, never Scenario objects: a card holds
what they show of a scenario and its buyer (title, brief, who the buyer is, what is at
stake), in library order, with the problems the library had. `catalog_of(library)`
makes them from a loaded library; the last catalog is stored as JSON in the cache
folder (see `simulator.cache`) under a key of every library file's path, size,
modification time and content hash, and of the code that reads them. When nothing
changed, `cached_catalog(dirs)` answers without importing pydantic or parsing YAML,
so the app opens on the library at once while the library itself loads behind it.

This module imports nothing of the core: reading a catalog costs a stat per file (the
content hash is the one kept while the file's stat is unchanged, `simulator.digests`;
a file whose stat changed, or changed too recently to vouch for it, is read and
hashed), and one JSON load. Beside the cards, each scenario's files are kept by id,
so that practice straight in (`cached_card`) reads no card of a large library. It also
holds the keys of the cache's entries per file (`file_key`, shared with
`simulator.cache`) and reads the validated form of one file (`read_validated`), which
practice straight in opens on.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator import __version__
from simulator.digests import blake2b, write_entry
from simulator.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from simulator.library import Library
    from simulator.model import Persona, Scenario

#: Bumped whenever what a card holds changes meaning.
FORMAT = 3
_PACKAGE = Path(__file__).resolve().parent
#: The modules that decide what a library loads as (their size and mtime join the key).
_CODE = ("catalog.py", "loading.py", "library.py", "model.py", "shapes.py", "yamlsrc.py",
         "money.py", "errors.py", "__init__.py")
#: Bumped whenever what a file's entries in the cache (`simulator.cache`) hold changes meaning.
ENTRY_FORMAT = 3
#: The modules that decide what a file reads and validates as (their size and mtime join
#: each file's key in the cache).
_READER = ("yamlsrc.py", "cache.py", "model.py", "shapes.py")


@dataclass(frozen=True)
class Card:
    """A scenario as the library lists and previews it."""

    id: str
    title: str
    audience: str
    difficulty: str
    tags: list[str]
    brief: str
    file: str  # the scenario file, as the user would type it
    persona: dict[str, Any]  # id, name, role, company, summary, patience, push, give
    persona_file: str  # the persona's file, as the user would type it
    stakes: list[str] = field(default_factory=list)  # "At stake" lines
    turn_budget: int = 20  # rep turns before the buyer closes the conversation

    def matches(self, query: str) -> bool:
        """Every word of the query appears in the title, id, tags, brief or buyer."""
        p = self.persona
        hay = " ".join([self.id, self.title, " ".join(self.tags), self.brief, self.audience,
                        self.difficulty, p["name"], p["role"], p["company"]]).lower()
        return all(word in hay for word in query.lower().split())


@dataclass
class Catalog:
    """The cards of a library, in library order, and the problems it had."""

    cards: list[Card]
    problems: list[Problem]

    def card(self, scenario_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == scenario_id), None)


def stakes(sc: Scenario) -> list[str]:
    """What is at stake in the deal, in the rep's terms."""
    from simulator.money import format_money
    from simulator.wording import counted

    m = sc.money
    cur = m.currency
    rows = []
    if m.price_in_play:
        rows.append(f"Your list price  {format_money(m.list_price, cur)} a {m.unit}")
        if m.target is not None and m.target != m.list_price:
            rows.append(f"Your target      {format_money(m.target, cur)}")
        rows.append(f"Your walk-away   {format_money(m.walk_away, cur)}")
        rows.append(f"Buyer's number   {format_money(m.buyer_target, cur)}")
        if m.competitor_price:
            rows.append(f"Competitor       {format_money(m.competitor_price, cur)}")
        if m.quantity:
            gap = (m.list_price - m.buyer_target) * m.quantity
            rows.append(f"Order            {counted(m.quantity, m.unit)}; the gap to the "
                        f"buyer's number is {format_money(gap, cur)}")
    else:
        rows.append("This conversation is not about price.")
    if m.value:
        rows.append(f"Value to them    {m.value}")
    if sc.gets:
        rows.append("You can ask for  " + "; ".join(g.name for g in sc.gets))
    return rows


def temperament_words(patience: int, push: float, give: float) -> str:
    """A persona's temperament as a rep would describe the buyer, never its numbers."""
    patience_w = ("loses patience fast" if patience <= 3 else
                  "patient for a while" if patience <= 6 else "very patient")
    push_w = ("pushes hard after any give" if push >= 0.65 else
              "pushes after a give" if push >= 0.35 else "rarely pushes for more")
    give_w = ("meets you part way when you hold" if give >= 0.3 else
              "moves slowly when you hold" if give >= 0.15 else "barely moves when you hold")
    return f"{patience_w} · {push_w} · {give_w}"


def card_of(sc: Scenario, persona: Persona, file: str, persona_file: str) -> Card:
    t = persona.temperament
    return Card(
        id=sc.id, title=sc.title, audience=sc.audience, difficulty=sc.difficulty,
        tags=list(sc.tags), brief=" ".join(sc.brief.split()), file=file,
        persona={"id": persona.id, "name": persona.name, "role": persona.role,
                 "company": persona.company, "summary": persona.summary or "",
                 "patience": t.patience, "push": t.push, "give": t.give},
        persona_file=persona_file, stakes=stakes(sc), turn_budget=sc.conversation.turn_budget)


def catalog_of(lib: Library) -> Catalog:
    from simulator.errors import display_path

    return Catalog([card_of(sc, lib.persona_of(sc), display_path(lib.files[f"scenario:{sc.id}"]),
                            display_path(lib.files[f"persona:{sc.persona}"]))
                    for sc in lib.ordered()], list(lib.problems))


# ------------------------------------------------------------ the library's folders


PACKAGE_DIR = _PACKAGE


def bundled_dir() -> Path:
    """The folder holding the bundled personas/ and scenarios/ (wheel or checkout)."""
    shipped = PACKAGE_DIR / "_bundled"
    if (shipped / "scenarios").is_dir():
        return shipped
    return PACKAGE_DIR.parent


def library_dirs(extra: Sequence[str | Path] = ()) -> list[Path]:
    """The bundled library, then SHADOWBOX_LIBRARY folders (os.pathsep-separated), then extra."""
    dirs = [bundled_dir()]
    env = os.environ.get("SHADOWBOX_LIBRARY", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    dirs += [Path(p) for p in extra]
    out: list[Path] = []
    seen: set[Path] = set()
    for d in dirs:
        try:
            key = d.resolve()
        except (OSError, RuntimeError):  # a symlink loop: load_library reports it
            key = d.absolute()
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# ------------------------------------------------------------ kept between runs


def cache_dir() -> Path | None:
    """Shadowbox's cache folder (`SHADOWBOX_CACHE`, else the user's cache folder), or None
    when `SHADOWBOX_CACHE=off`. It holds the catalog and the parsed files (`simulator.cache`)."""
    setting = os.environ.get("SHADOWBOX_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("shadowbox", appauthor=False)) / "library"


def reader_stamp() -> list:
    """What, besides a file, decides how it reads and validates: Shadowbox's version, the
    entries' format and the reader's code."""
    stamp: list = [__version__, ENTRY_FORMAT]
    for name in _READER:
        try:
            st = os.stat(_PACKAGE / name)
            stamp += [st.st_size, st.st_mtime_ns]
        except OSError:
            stamp.append(None)
    return stamp


def file_key(path: Path, stamp: list, limit: int | None = None,
             folder: Path | None = None) -> list | None:
    """A file's key in the cache: its absolute path, size, modification time and content
    hash (BLAKE2b; the one kept in `folder`, the cache folder, while the file's stat is
    unchanged: `simulator.digests`), and `stamp`; None when it is not a regular file of at
    most `limit` bytes that can be read."""
    from simulator.digests import digests

    real = os.path.abspath(path)
    found = digests(folder).digest(real, limit)
    if found is None:
        return None
    size, mtime, value = found
    return [real, size, mtime, value, stamp]


def file_entry(folder: Path, path: Path) -> Path:
    """Where the cache keeps what was read of `path` (`simulator.cache`)."""
    real = os.path.abspath(path)
    return folder / (blake2b(real.encode(), digest_size=16).hexdigest() + ".json")


def validated_entry(entry: Path) -> Path:
    """Where the validated form of the file whose data is in `entry` is kept."""
    return entry.with_suffix(".valid.json")


def read_validated(path: Path, kind: str) -> Any | None:
    """The persona or scenario (`kind`) that the last load validated from `path`, rebuilt
    as a record (`simulator.shapes`), without pydantic or YAML; None when the file changed
    since (its key differs), was never validated clean, or the cache is off or damaged.
    Only what validated is kept (see `SourceCache.keep_validated`): a file with errors
    never has an entry, so it is always read, and its errors shown, by `load_library`."""
    from simulator.shapes import rebuild

    folder = cache_dir()
    key = file_key(path, reader_stamp(), folder=folder) if folder is not None else None
    if key is None:
        return None
    try:
        stored = json.loads(validated_entry(file_entry(folder, path)).read_bytes())
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        value = stored["value"]
        if not isinstance(value, dict) or value.get("$") != kind:
            return None
        return rebuild(value)
    except (OSError, KeyError, ValueError, RecursionError):
        return None


def _candidates(dirs: list[Path]) -> list[tuple[str, list[str]]]:
    """Every file `load_library(dirs)` may read (test files included: harmless in a key):
    each folder, as an absolute path, with the names of its files."""
    out = []
    for d in dirs:
        for folder in (d / "personas", d / "scenarios", d):
            try:  # (what Path.suffix calls the suffix: ".yaml" alone is a name, not one)
                names = sorted(n for n in os.listdir(folder)
                               if n.endswith((".yaml", ".yml")) and n.rfind(".") > 0)
            except OSError:
                continue
            out.append((os.path.abspath(folder), names))
    return out


def catalog_key(dirs: list[Path]) -> list | None:
    """The library's key: its folders, each file's key, and the code's; None if unreadable.
    A file's hash is the one kept while its stat is unchanged (`simulator.digests`)."""
    from simulator.digests import digests

    stamp: list = [__version__, FORMAT, str(Path.cwd())]  # paths are shown relative to cwd
    for name in _CODE:
        try:
            st = os.stat(_PACKAGE / name)
            stamp.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            stamp.append([name])
    folders = [[os.path.abspath(d), os.path.isdir(d)] for d in dirs]  # isdir: False on a refused name
    files: list = []
    kept = digests(cache_dir())
    try:
        for parent, names in _candidates(dirs):
            found = kept.folder_digests(parent, names)
            if found is None:
                return None
            files += found
    finally:
        kept.save()
    return [stamp, folders, files]


def _entry(folder: Path, dirs: list[Path]) -> Path:
    name = json.dumps([os.path.abspath(d) for d in dirs])
    return folder / f"catalog-{blake2b(name.encode(), digest_size=16).hexdigest()}.json"


def _card(raw: Any) -> Card:
    """A card back from JSON; ValueError/TypeError on anything of another shape."""
    names = {f.name for f in fields(Card)}
    if not isinstance(raw, dict) or set(raw) != names:
        raise ValueError("card")
    card = Card(**raw)
    text = (card.id, card.title, card.audience, card.difficulty, card.brief, card.file,
            card.persona_file)
    persona = card.persona
    if (not all(isinstance(x, str) for x in text)
            or not isinstance(card.tags, list) or not all(isinstance(t, str) for t in card.tags)
            or not isinstance(card.stakes, list)
            or not isinstance(card.turn_budget, int) or isinstance(card.turn_budget, bool)
            or not all(isinstance(s, str) for s in card.stakes)
            or not isinstance(persona, dict)
            or set(persona) != {"id", "name", "role", "company", "summary", "patience", "push",
                                "give"}
            or not all(isinstance(persona[k], str) for k in ("id", "name", "role", "company",
                                                             "summary"))
            or not all(isinstance(persona[k], (int, float)) and not isinstance(persona[k], bool)
                       for k in ("patience", "push", "give"))):
        raise ValueError("card")
    return card


def cached_catalog(dirs: list[Path], key: list | None = None) -> Catalog | None:
    """The catalog stored for exactly this library, or None (changed, absent, cache off);
    `key`: the library's `catalog_key`, when it has just been taken."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        stored = json.loads(_entry(folder, dirs).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    try:
        if not isinstance(stored, dict) or stored.get("key") != (
                key if key is not None else catalog_key(dirs)):
            return None
        return Catalog([_card(c) for c in stored["cards"]],
                       [Problem.from_dict(p) for p in stored["problems"]])
    except (KeyError, ValueError, TypeError):
        return None


def _ids_entry(entry: Path) -> Path:
    """Where the catalog in `entry` keeps its ids (`cached_card`)."""
    return entry.with_suffix(".ids.json")


def _key_digest(key: list) -> str:
    return blake2b(json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode()
                   ).hexdigest()


def cached_card(dirs: list[Path], scenario_id: str) -> tuple[str, str] | None:
    """The scenario file and persona file of `scenario_id` as the catalog stored for exactly
    this library lists them, or None (unknown, changed, absent, cache off): what practice
    straight in needs, without reading the cards of the whole library (unless the ids are
    not kept beside a current catalog, as after an upgrade: then they are, from its cards)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = catalog_key(dirs)
    if key is None:
        return None
    ids = _ids_entry(_entry(folder, dirs))
    try:
        stored = json.loads(ids.read_bytes())
        if not isinstance(stored, dict) or stored.get("key") != _key_digest(key):
            raise ValueError("the ids of another version of the library")
        files = stored["ids"].get(scenario_id)
    except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
        catalog = cached_catalog(dirs, key)
        if catalog is None:
            return None
        write_entry(ids, _ids_text(key, catalog))
        card = catalog.card(scenario_id)
        return (card.file, card.persona_file) if card is not None else None
    if not isinstance(files, list) or len(files) != 2 or not all(isinstance(f, str)
                                                                 for f in files):
        return None
    return files[0], files[1]


def _ids_text(key: list, catalog: Catalog) -> str:
    return json.dumps({"key": _key_digest(key),
                       "ids": {c.id: [c.file, c.persona_file] for c in catalog.cards}},
                      ensure_ascii=False, separators=(",", ":"))


def store_catalog(dirs: list[Path], key: list | None, catalog: Catalog) -> None:
    """Keep `catalog` for the next run under `key`, taken with `catalog_key(dirs)` *before*
    the library was loaded (so a file edited meanwhile makes the next run miss, never show
    stale cards), and beside it each scenario's files by id (`cached_card`). Skipped
    silently when the cache folder is not usable."""
    folder = cache_dir()
    if folder is None or key is None:
        return
    entry = _entry(folder, dirs)
    text = json.dumps({"key": key, "cards": [asdict(c) for c in catalog.cards],
                       "problems": [p.to_dict() for p in catalog.problems]},
                      ensure_ascii=False, separators=(",", ":"))
    write_entry(entry, text)
    write_entry(_ids_entry(entry), _ids_text(key, catalog))
