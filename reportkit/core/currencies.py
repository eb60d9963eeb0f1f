"""ISO 4217 currency codes in use, for params validation (``currency: EUO`` is a typo, not a
currency): from Babel's CLDR data, the legal-tender currencies of any territory at any time
since 2020 (a code withdrawn since, such as SLL, still reads older reports' params)."""

from __future__ import annotations

from datetime import date

from babel.core import get_global
from babel.numbers import get_territory_currencies


def _in_use() -> frozenset[str]:
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, start_date=date(2020, 1, 1),
                                              end_date=date(2100, 1, 1), tender=True))
    return frozenset(codes)


ISO_4217 = _in_use()
