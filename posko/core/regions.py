"""Jakarta's administrative regions with their Kemendagri codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PROVINCE_CODE = "31"
LEVELS = ("provinsi", "kota", "kecamatan", "kelurahan")
# The office of a kota or kabupaten administrasi when the region is not known
# (KBBI and UU 23/2014 write "wali kota" in two words).
ANY_OFFICE = "kantor wali kota/bupati"


@dataclass(frozen=True)
class Region:
    code: str  # dotted Kemendagri code, e.g. "31.74.07.1001"
    level: str
    name: str
    parent_code: str | None

    @property
    def short_name(self) -> str:
        """'Jakarta Pusat' for 'Kota Administrasi Jakarta Pusat'."""
        for prefix in ("Kota Administrasi ", "Kabupaten Administrasi "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name

    @property
    def office_name(self) -> str:
        """The office that follows up complaints of this kota/kabupaten:
        "Kantor Wali Kota Jakarta Utara", "Kantor Bupati Kepulauan Seribu"."""
        if self.name.startswith("Kabupaten"):
            return f"Kantor Bupati {self.short_name}"
        if self.level == "kota":
            return f"Kantor Wali Kota {self.short_name}"
        return self.name

    @property
    def label(self) -> str:
        """The name with the code in brackets, for messages: "Kecamatan Gambir (31.71.01)"."""
        prefix = {"kecamatan": "Kecamatan ", "kelurahan": "Kelurahan "}.get(self.level, "")
        return f"{prefix}{self.name} ({self.code})"


class RegionIndex:
    """Look-ups over the region tree; built once from reference data."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code = {region.code: region for region in regions}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """A region as a message names it: its name and code, or the code alone."""
        region = self._by_code.get(code)
        return region.label if region is not None else code

    def office_of(self, code: str) -> str:
        """The name of the office of a kota/kabupaten code, or the generic name."""
        region = self._by_code.get(code)
        if region is None or region.level != "kota":
            return f"{ANY_OFFICE} ({code})" if code else ANY_OFFICE
        return region.office_name

    def of_level(self, level: str) -> list[Region]:
        return sorted((r for r in self._by_code.values() if r.level == level), key=lambda r: r.code)

    def children(self, code: str) -> list[Region]:
        return sorted(
            (r for r in self._by_code.values() if r.parent_code == code), key=lambda r: r.code
        )

    def find_kota(self, text: str) -> Region | None:
        """The kota/kabupaten a person names: its code ("31.74"), its name with or
        without "Kota Administrasi", in any case and spacing ("jakarta  selatan")."""
        wanted = " ".join(text.split()).casefold()
        for region in self.of_level("kota"):
            short = region.short_name.casefold()
            names = {region.code, region.name.casefold(), short, f"kota {short}"}
            if wanted in names or wanted == f"kabupaten {short}":
                return region
        return None

    def kota_of(self, code: str) -> Region | None:
        """The kota/kabupaten a region lies in (itself for a kota)."""
        region = self._by_code.get(code)
        while region is not None and region.level not in ("kota", "provinsi"):
            region = self._by_code.get(region.parent_code or "")
        return region if region is not None and region.level == "kota" else None

    def is_within(self, code: str, ancestor: str) -> bool:
        region = self._by_code.get(code)
        while region is not None:
            if region.code == ancestor:
                return True
            region = self._by_code.get(region.parent_code or "")
        return False

    def kecamatan_code_of_nik(self, nik: str) -> str:
        """The dotted kecamatan code a NIK's first six digits name."""
        return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
