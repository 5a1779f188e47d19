"""Reference data: regions, categories, officers and the schedule policy."""

from __future__ import annotations

import csv
import tomllib
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from posko.config import data_dir
from posko.core.errors import InvalidInput
from posko.core.regions import Region, RegionIndex
from posko.core.schedule import SchedulePolicy, policy_from_dict
from posko.store import models


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name_id: str
    name_en: str
    open311_code: str


def read_regions(path: Path | None = None) -> list[Region]:
    path = path or data_dir("sample_data") / "regions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Region(row["code"], row["level"], row["name"], row["parent_code"] or None)
            for row in csv.DictReader(handle)
        ]


def read_categories(path: Path | None = None) -> list[CategoryInfo]:
    path = path or data_dir("sample_data") / "categories.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [CategoryInfo(**row) for row in csv.DictReader(handle)]


@cache
def provinces() -> dict[str, str]:
    """Kemendagri's 38 province codes with their names ("31": "Daerah Khusus Ibukota
    Jakarta"): the first two digits of every NIK. Read once; it ships with Posko."""
    path = data_dir("sample_data") / "provinces.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def read_sample_officers(path: Path | None = None) -> list[dict[str, str]]:
    path = path or data_dir("sample_data") / "officers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_policy(path: Path) -> SchedulePolicy:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(
            "cannot read the schedule policy {path}: {error}",
            path=str(path),
            error=error.strerror or str(error),
        ) from None
    except RecursionError:
        raise InvalidInput(
            "the schedule policy {path} is nested too deeply", path=str(path)
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(
            "the schedule policy {path} is not valid TOML: {error}",
            path=str(path),
            error=str(error)[:200],
        ) from None
    return policy_from_dict(data)


# Keyed by engine, weakly, so a test's dropped engine takes its cache along.
_region_cache: weakref.WeakKeyDictionary[Engine, RegionIndex] = weakref.WeakKeyDictionary()
_category_cache: weakref.WeakKeyDictionary[Engine, dict[str, CategoryInfo]] = (
    weakref.WeakKeyDictionary()
)
_training_cache: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def regions(session: Session) -> RegionIndex:
    """The region tree, read once per engine (it changes only at `init`)."""
    key = _engine(session)
    if key not in _region_cache:
        rows = session.exec(select(models.Region)).all()
        _region_cache[key] = RegionIndex(
            Region(r.code, r.level, r.name, r.parent_code) for r in rows
        )
    return _region_cache[key]


def kota_code(session: Session, text: str, *, other_levels: bool = False) -> str:
    """The code of the kota/kabupaten an option names by code or by name; with
    other_levels, any known region code passes as it is (an officer of the province)."""
    index = regions(session)
    if other_levels and text.strip() in index:
        return text.strip()
    found = index.find_kota(text)
    if found is None:
        raise InvalidInput(
            "no kota or kabupaten {given}; one of: {known}",
            given=text[:40],
            known=", ".join(f"{r.short_name} ({r.code})" for r in index.of_level("kota")),
        )
    return found.code


def categories(session: Session) -> dict[str, CategoryInfo]:
    key = _engine(session)
    if key not in _category_cache:
        rows = session.exec(select(models.Category).order_by(models.Category.code)).all()
        _category_cache[key] = {
            r.code: CategoryInfo(r.code, r.name_id, r.name_en, r.open311_code) for r in rows
        }
    return _category_cache[key]


def training(session: Session) -> bool:
    """Whether this is a training database, read once per engine: the flag is set
    by the first `init` and never changes (a real database refuses to become one)."""
    key = _engine(session)
    if key not in _training_cache:
        row = session.get(models.Meta, "training")
        _training_cache[key] = row is not None and row.value == "1"
    return _training_cache[key]


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def forget(engine: Engine) -> None:
    """Drop cached reference data after `init` reloaded it or `restore` replaced it."""
    _region_cache.pop(engine, None)
    _category_cache.pop(engine, None)
    _training_cache.pop(engine, None)
