"""The state of the translation catalogs: what each language lacks, and the checks
``make i18n`` prints and the tests assert.

The source of truth is the code: :func:`messages_in_code` extracts every marked text (as
``pybabel extract`` does, with ``babel.cfg``'s keywords); ``reportkit/locale/reportkit.pot`` is
that list written out, each ``<lang>/LC_MESSAGES/reportkit.po`` its translation, compiled to
``reportkit.mo`` (shipped in the wheel). ``python -m reportkit.core.catalogs`` reports, per
language, how many texts are translated and which are not.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reportkit.core.i18n import CATALOGS, DOMAIN, TRANSLATED

PACKAGE = CATALOGS.parent
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def messages_in_code() -> set[str | tuple[str, str]]:
    """Every marked text of the package's code: a msgid, or (singular, plural) for ngettext.
    A pgettext text is ``'context\\x04msgid'``, as gettext keys it."""
    found: set = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")]):
        key = message if isinstance(message, str) else tuple(message[:2])
        if context:
            key = f"{context}\x04{key}" if isinstance(key, str) else (f"{context}\x04{key[0]}", key[1])
        found.add(key)
    return found


def catalog_file(language: str) -> Path:
    return CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass
class Status:
    language: str
    translated: int = 0
    missing: list[str] = field(default_factory=list)      # in the code, no translation
    fuzzy: list[str] = field(default_factory=list)        # a guess `pybabel update` made
    placeholders: list[str] = field(default_factory=list)  # {names} differ from the msgid's
    plural_forms: list[str] = field(default_factory=list)  # fewer forms than the language has
    stale_mo: bool = False                                 # reportkit.mo is not the .po compiled

    @property
    def complete(self) -> bool:
        return not (self.missing or self.fuzzy or self.placeholders or self.plural_forms or self.stale_mo)


def _key(message) -> str | tuple[str, str]:
    msgid = message.id if isinstance(message.id, str) else tuple(message.id[:2])
    if message.context:
        return f"{message.context}\x04{msgid}" if isinstance(msgid, str) else (f"{message.context}\x04{msgid[0]}", msgid[1])
    return msgid


def status(language: str, wanted: set | None = None) -> Status:
    """What ``language``'s catalog lacks against the code's texts (``wanted``)."""
    wanted = messages_in_code() if wanted is None else wanted
    path = catalog_file(language)
    out = Status(language)
    if not path.exists():
        out.missing = sorted(map(str, wanted))
        return out
    with path.open("rb") as handle:
        catalog = read_po(handle)
    by_key = {_key(m): m for m in catalog if m.id}
    for key in sorted(wanted, key=str):
        message = by_key.get(key)
        strings = [] if message is None else ([message.string] if isinstance(message.string, str)
                                              else list(message.string))
        if message is None or not all(strings):
            out.missing.append(str(key))
            continue
        if message.fuzzy:
            out.fuzzy.append(str(key))
        if isinstance(key, tuple) and len(strings) < catalog.num_plurals:
            out.plural_forms.append(str(key))
        # every placeholder of the English forms is used, and no other (a singular may leave
        # out one its plural has, as the English singular does)
        sources = [k.split("\x04")[-1] for k in (key if isinstance(key, tuple) else (key,))]
        wanted_names = set().union(*map(_names, sources))
        used = [_names(s) for s in strings]
        if any(u - wanted_names for u in used) or set().union(*used) != wanted_names or \
                (not isinstance(key, tuple) and used[0] != wanted_names):
            out.placeholders.append(str(key))
        out.translated += 1
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    mo = path.with_suffix(".mo")
    out.stale_mo = not mo.exists() or mo.read_bytes() != compiled.getvalue()
    return out


def _names(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def main() -> int:
    wanted = messages_in_code()
    print(f"{len(wanted)} texts marked for translation in the code")
    ok = True
    for language in sorted({name.split("_")[0] for name in TRANSLATED}):
        s = status(language, wanted)
        ok &= s.complete
        print(f"{language}: {s.translated} of {len(wanted)} translated"
              + ("" if s.complete else " — INCOMPLETE"))
        for label, items in (("untranslated", s.missing), ("fuzzy (check and clear the flag)", s.fuzzy),
                             ("placeholders differ", s.placeholders), ("plural forms missing", s.plural_forms)):
            for item in items:
                print(f"  {label}: {item!r}")
        if s.stale_mo:
            print(f"  {catalog_file(language).with_suffix('.mo')} is not the .po compiled: run make i18n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
