"""Settings of one installation: a TOML file, overridden by POSKO_* variables.

Looked up in this order: the built-in defaults, the config file
(`POSKO_CONFIG`, else `config.toml` in the user config dir), then the
environment. Command-line options override all of them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from posko.core.errors import InvalidInput

PACKAGE_DIR = Path(__file__).parent


def data_dir(name: str) -> Path:
    """`sample_data` or `schedules`: beside the package in a checkout, inside it in a wheel."""
    in_checkout = PACKAGE_DIR.parent / name
    return in_checkout if in_checkout.is_dir() else PACKAGE_DIR / "_data" / name


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    language: str = "id"
    policy_file: str = ""  # empty: schedules/pendopo.toml
    # Where the QR codes point: empty means the status page address stored in
    # the database at `posko init --status-url` (shared by every desk); a
    # template here ("https://HOST/lacak/{code}?s={sig}") overrides it.
    qr_url_template: str = ""
    printer: str = "folder"  # folder / cups / escpos
    printer_name: str = ""  # CUPS queue, or ESC/POS "host:port" / "usb:VID:PID"
    output_dir: str = ""  # empty: "slips" in the user data dir
    handoff_dir: str = ""  # empty: "serah-terima" in the user data dir
    paper_width_mm: int = 80
    office_paper: str = "a5"  # a5 / roll80
    font_path: str = ""
    retention_months: int = 24
    # The status page behind a reverse proxy: the proxies whose
    # X-Forwarded-For names the citizen's address (uvicorn's option; "*" any).
    forwarded_allow_ips: str = "127.0.0.1"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def policy_path(self) -> Path:
        return (
            Path(self.policy_file) if self.policy_file else data_dir("schedules") / "pendopo.toml"
        )

    @property
    def slips_dir(self) -> Path:
        if self.output_dir:
            return Path(self.output_dir)
        from platformdirs import user_data_dir

        return Path(user_data_dir("posko", appauthor=False)) / "slips"

    @property
    def handoff_folder(self) -> Path:
        """Where closing a session writes the handoff lists (PDF and CSV)."""
        if self.handoff_dir:
            return Path(self.handoff_dir)
        from platformdirs import user_data_dir

        return Path(user_data_dir("posko", appauthor=False)) / "serah-terima"


def _config_file() -> Path | None:
    explicit = os.environ.get("POSKO_CONFIG")
    if explicit:
        return Path(explicit)
    from platformdirs import user_config_dir

    default = Path(user_config_dir("posko", appauthor=False)) / "config.toml"
    return default if default.exists() else None


def _coerce(name: str, value: Any, kind: type) -> Any:
    if kind is int or (isinstance(kind, str) and kind == "int"):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise InvalidInput("setting {name} must be a whole number", name=name) from None
    if isinstance(value, dict | list):
        raise InvalidInput("setting {name} must be text", name=name)
    return str(value)


def load_settings(**overrides: Any) -> Settings:
    settings = Settings()
    known = {f.name: f for f in fields(Settings) if f.name != "extra"}
    values: dict[str, Any] = {}
    path = _config_file()
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise InvalidInput(
                "the configuration file {path} is nested too deeply", path=str(path)
            ) from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InvalidInput(
                "cannot read the configuration file {path}: {error}",
                path=str(path),
                error=str(error)[:200],
            ) from None
        extra = {}
        for key, value in raw.items():
            if key in known:
                values[key] = value
            else:
                extra[key] = value
        values["extra"] = extra
    for name in known:
        env = os.environ.get(f"POSKO_{name.upper()}")
        if env is not None:
            values[name] = env
    if "database_url" not in values and os.environ.get("POSKO_DATABASE_URL"):
        values["database_url"] = os.environ["POSKO_DATABASE_URL"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    for name, value in list(values.items()):
        if name in known and value is not None:
            kind = int if isinstance(getattr(settings, name), int) else str
            values[name] = _coerce(name, value, kind)
    return replace(settings, **values)
