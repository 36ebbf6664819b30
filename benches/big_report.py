#!/usr/bin/env python3
"""The "charts and data at real-world size" report, generated and built.

Writes a quire project with a generated 1,000,000-row CSV and public data
from the `vega_datasets` package (copied at run time, never committed), then
builds it with the release binary and prints how long each step took:

    python3 benches/big_report.py [DIR] [--pdf]

Charts: a 10-year daily line (the 1M readings averaged per day), an
8-series line (US employment by industry, 120 months), a 40-category bar
(airports per state, top 40), a scatter (cars: horsepower against fuel
economy), and seattle weather grouped by month and by kind of day.

An existing DIR is moved aside (DIR.old-N), never deleted: on these machines
a tree deleted and recreated within a minute writes up to 10x slower.
"""

import csv
import datetime
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1_000_000
STATIONS = ["north", "south", "east", "west", "harbour", "airport", "hill", "valley"]


def vega_dir() -> Path:
    try:
        import vega_datasets  # noqa: F401
    except ImportError:
        sys.exit("needs the public data: pip install vega_datasets")
    return Path(vega_datasets.__file__).parent / "_data"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def readings(path: Path) -> None:
    """1M seeded readings over ten years: a seasonal temperature per station."""
    start = datetime.date(2015, 1, 1)
    days = (datetime.date(2024, 12, 31) - start).days + 1
    seed = 12345
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("id,day,station,temp,load\n")
        for i in range(ROWS):
            seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            noise = ((seed >> 33) % 1000) / 100.0 - 5.0
            d = i * days // ROWS
            day = start + datetime.timedelta(days=d)
            st = STATIONS[i % len(STATIONS)]
            season = 11.0 - 9.0 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)
            temp = season + d / days * 1.2 + noise
            load = 800 + round(12 * abs(temp - 16)) + (seed >> 40) % 50
            f.write(f"r{i},{day.isoformat()},{st},{temp:.1f},{load}\n")


def cars(src: Path, dst: Path) -> None:
    rows = json.loads(src.read_text())
    with dst.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "mpg", "horsepower", "weight", "origin"])
        for i, r in enumerate(rows):
            cell = lambda v: "" if v is None else v  # noqa: E731
            w.writerow([f"c{i + 1}", r["Name"], cell(r["Miles_per_Gallon"]), cell(r["Horsepower"]),
                        cell(r["Weight_in_lbs"]), r["Origin"]])


REPORT = """title: "Charts and data at real-world size"
subtitle: "A quire stress report: a million generated readings and public data sets"
date: "2026-11-29"
sources:
  generated:
    publisher: "quire benches/big_report.py"
    title: "Seeded synthetic readings"
    date: "Generated at build time"
  vega:
    publisher: "vega-datasets"
    title: "Public example data sets shipped with the vega_datasets package"
    date: "As packaged"
"""

SIDES = {
    "readings": """title: "Synthetic sensor readings"
scope: "1,000,000 readings from eight stations over ten years (seeded)"
source: {cites: [generated]}
fields:
  day: {kind: date, label: "Day"}
  station: {kind: text}
  temp: {label: "Temperature", unit: "°C", digits: 1}
  load: {label: "Grid load", unit: MW}
""",
    "employment": """title: "US employment by industry"
scope: "Monthly, January 2006 to December 2015, thousands of jobs"
source: {cites: [vega]}
unit: none                 # thousands of jobs, as the title says
fields:
  construction: {label: "Construction"}
  manufacturing: {label: "Manufacturing"}
  retail_trade: {label: "Retail"}
  information: {label: "Information"}
  financial_activities: {label: "Finance"}
  leisure_and_hospitality: {label: "Leisure and hospitality"}
  other_services: {label: "Other services"}
  utilities: {label: "Utilities"}
""",
    "airports": """title: "US airports"
scope: "Every airport in the FAA list shipped with vega_datasets"
source: {cites: [vega]}
fields:
  name: {kind: text}
  city: {kind: text}
  state: {kind: text}
  country: {kind: text}
  latitude: {unit: "°", digits: 4}
  longitude: {unit: "°", digits: 4}
""",
    "cars": """title: "Cars, 1970 to 1982"
scope: "406 car models"
source: {cites: [vega]}
label: name
fields:
  mpg: {label: "Fuel economy", unit: "mpg"}
  horsepower: {label: "Horsepower", unit: "hp"}
  weight: {label: "Weight", unit: "lb"}
  origin: {kind: text}
""",
    "weather": """title: "Seattle weather"
scope: "Daily, 2012 to 2015"
source: {cites: [vega]}
fields:
  precipitation: {label: "Precipitation", unit: mm, digits: 1}
  temp_max: {label: "Highest temperature", unit: "°C", digits: 1}
  temp_min: {label: "Lowest temperature", unit: "°C", digits: 1}
  wind: {label: "Wind", unit: "m/s", digits: 1}
  weather: {kind: text}
""",
}

SECTION = """---
title: "At real-world size"
---

Ten years of daily means from a million readings (@fig:daily), eight
industries over ten years (@fig:industries), the forty states with the most
airports (@fig:airports), fuel economy against power (@fig:cars), the same by origin
(@fig:cars-by-origin) and Seattle's
weather by month (@fig:seattle) and by kind of day (@fig:kinds).

```chart
id: daily
type: line
data: readings
series: [temp]
group: {by: day, every: day}
aggregate: mean
title: "Daily mean temperature, all stations, 2015 to 2024 (°C)"
description: "A seasonal wave, ten cycles, drifting slightly upward."
```

```chart
id: industries
type: line
data: employment
x: key
series: [construction, manufacturing, retail_trade, information, financial_activities, leisure_and_hospitality, other_services, utilities]
title: "US employment in eight industries, 2006 to 2015 (thousands of jobs)"
description: "Eight monthly series; manufacturing bottoms out in early 2010 and construction in early 2011."
```

```chart
id: airports
type: hbar
data: airports
series: [name]
group: state
aggregate: count
sort: desc
limit: 40
title: "Airports per state, the forty states with the most (count)"
description: "Alaska has the most airports, then Texas and California."
```

```chart
id: cars
type: scatter
data: cars
x: horsepower
series: [mpg]
title: "Fuel economy against horsepower, 406 cars (mpg)"
description: "More power, fewer miles per gallon."
```

```chart
id: cars-by-origin
type: scatter
data: cars
x: horsepower
series: [mpg]
facet: origin
title: "Fuel economy against horsepower, by where the car was made (mpg)"
description: "The same fall in every origin; the most powerful cars are all American."
```

```chart
id: seattle
type: line
data: weather
series: [temp_max, temp_min]
group: {by: key, every: month}
aggregate: mean
title: "Seattle, monthly mean of the daily highest and lowest temperature (°C)"
description: "Four summers and four winters."
```

```chart
id: kinds
type: bar
data: weather
series: [weather]
group: weather
aggregate: count
sort: desc
title: "Seattle, days by kind of weather, 2012 to 2015 (days)"
description: "Sun is the most common kind of day, then fog, then rain."
```
"""


def generate(root: Path) -> None:
    data = root / "content" / "data"
    data.mkdir(parents=True)
    write(root / "content" / "report.yaml", REPORT)
    write(root / "content" / "sections" / "01-size.md", SECTION)
    for name, side in SIDES.items():
        write(data / f"{name}.yaml", side)
    v = vega_dir()
    readings(data / "readings.csv")
    (data / "employment.csv").write_bytes((v / "us-employment.csv").read_bytes())
    (data / "airports.csv").write_bytes((v / "airports.csv").read_bytes())
    (data / "weather.csv").write_bytes((v / "seattle-weather.csv").read_bytes())
    cars(v / "cars.json", data / "cars.csv")


def move_aside(path: Path) -> None:
    n = 1
    while path.exists():
        aside = path.with_name(f"{path.name}.old-{n}")
        if not aside.exists():
            path.rename(aside)
            return
        n += 1


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else "/tmp/quire-big-report").resolve()
    move_aside(root)
    t = time.perf_counter()
    generate(root)
    print(f"generated {ROWS:,} rows and the public data in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    quire = ROOT / "target" / "release" / "quire"
    cmd = [str(quire), "build"] + (["--pdf"] if "--pdf" in sys.argv else [])
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=root)
    took = time.perf_counter() - t
    size = (root / "content" / "data" / "readings.csv").stat().st_size
    print(f"quire build: {took:.2f} s for a {size / 1e6:.0f} MB CSV and five public data sets"
          f" (exit {done.returncode}); output in {root / 'output'}")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
