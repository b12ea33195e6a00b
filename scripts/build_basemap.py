"""Build static/geo/gba-basemap.geojson, the map's outline basemap (no tile server needed).

Usage (a build step, run by hand when the outline should change; nothing reads the
source files at run time):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_basemap.py package/countries-10m.json portal/hospitals/data/cities.csv

What it draws (static/geo/NOTICE.md says the same to readers):
- the land of the mainland, Hong Kong and Macao, from Natural Earth's 1:10m admin-0
  countries (public domain) as packaged by world-atlas (ISC), clipped to the Greater
  Bay Area and simplified;
- the nine mainland cities as SCHEMATIC areas: the mainland land divided among the
  city centres of cities.csv by nearest centre (Voronoi cells), each at most
  CITY_REACH from its centre. They are not the
  cities' administrative boundaries, and every feature says so (schematic: true).
"""

import csv
import json
import sys

BBOX = (111.8, 21.6, 115.0, 24.2)  # west, south, east, north: the nine cities, Hong Kong and Macao
# A city's schematic area reaches at most this far from its centre (degrees), so the
# land of neighbouring cities outside the Greater Bay Area is not given to it.
CITY_REACH = 0.55
TOLERANCE = 0.004  # degrees (about 400 m): simplification keeps the file small
DIGITS = 3


def decode(topology: dict, name: str) -> list:
    """The polygons (lists of rings of [lon, lat]) of country `name` in a TopoJSON."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([x * scale[0] + translate[0], y * scale[1] + translate[1]])
        arcs.append(points)

    def ring(indexes: list) -> list:
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g["properties"]["name"] == name)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[ring(r) for r in polygon] for polygon in polygons]


def clip(ring: list, inside, intersect) -> list:
    """Sutherland-Hodgman: the part of `ring` on the inside of one straight edge."""
    out = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(intersect(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(intersect(previous, current))
    return out


def clip_half_plane(ring: list, a: float, b: float, c: float) -> list:
    """The part of `ring` where a*x + b*y <= c."""
    def inside(p):
        return a * p[0] + b * p[1] <= c

    def intersect(p, q):
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        t = fp / (fp - fq)
        return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]

    return clip(ring, inside, intersect)


def clip_bbox(ring: list) -> list:
    west, south, east, north = BBOX
    for a, b, c in ((-1, 0, -west), (1, 0, east), (0, -1, -south), (0, 1, north)):
        ring = clip_half_plane(ring, a, b, c)
        if not ring:
            break
    return ring


def simplify(points: list) -> list:
    """Douglas-Peucker on a closed ring (keeps its first point)."""
    if len(points) < 4:
        return points

    def distance(p, a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        if dx == dy == 0:
            return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
        return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / (dx * dx + dy * dy) ** 0.5

    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, farthest = 0, 0.0
        for i in range(first + 1, last):
            d = distance(points[i], points[first], points[last])
            if d > farthest:
                index, farthest = i, d
        if farthest > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def tidy(ring: list) -> list | None:
    ring = simplify(ring)
    points = []
    for x, y in ring:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not points or points[-1] != point:
            points.append(point)
    if len(points) < 3:
        return None
    return points + [points[0]]


def outline(polygons: list) -> list:
    """Polygons clipped to the area and simplified (outer rings only: lakes are dropped)."""
    result = []
    for polygon in polygons:
        ring = clip_bbox(polygon[0])
        ring = tidy(ring) if ring else None
        if ring:
            result.append([ring])
    return result


def voronoi_cell(ring: list, site: tuple, others: list) -> list:
    """The part of `ring` nearer to `site` than to any of `others`, and within
    CITY_REACH of it (a 16-sided polygon around the site)."""
    from math import cos, pi, sin

    for side in range(16):
        angle = 2 * pi * side / 16
        ring = clip_half_plane(ring, cos(angle), sin(angle),
                               cos(angle) * site[0] + sin(angle) * site[1] + CITY_REACH)
        if not ring:
            return ring
    for other in others:
        # |p - s|^2 <= |p - o|^2  <=>  2(o - s).p <= |o|^2 - |s|^2
        a, b = 2 * (other[0] - site[0]), 2 * (other[1] - site[1])
        c = other[0] ** 2 + other[1] ** 2 - site[0] ** 2 - site[1] ** 2
        ring = clip_half_plane(ring, a, b, c)
        if not ring:
            break
    return ring


def feature(code: str, row: dict, polygons: list, schematic: bool) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "region": row["region"], "name_en": row["name_en"],
                       "name_zh_hant": row["name_zh_hant"], "name_zh_hans": row["name_zh_hans"],
                       "label_at": [float(row["lon_approx"]), float(row["lat_approx"])], "schematic": schematic},
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def main(topology_path: str, cities_path: str) -> None:
    topology = json.load(open(topology_path, encoding="utf-8"))
    with open(cities_path, encoding="utf-8", newline="") as handle:
        cities = {row["code"]: row for row in csv.DictReader(handle)}
    features = []
    mainland_land = [polygon[0] for polygon in decode(topology, "China")]
    mainland = {code: row for code, row in cities.items() if row["region"] == "mainland"}
    sites = {code: (float(row["lon_approx"]), float(row["lat_approx"])) for code, row in mainland.items()}
    for code, row in mainland.items():
        others = [site for other, site in sites.items() if other != code]
        cells = []
        for ring in mainland_land:
            ring = clip_bbox(ring)
            cell = voronoi_cell(ring, sites[code], others) if ring else []
            cell = tidy(cell) if cell else None
            if cell:
                cells.append([cell])
        features.append(feature(code, row, cells, schematic=True))
    for code, name in (("hong_kong", "Hong Kong"), ("macao", "Macao")):
        features.append(feature(code, cities[code], outline(decode(topology, name)), schematic=False))
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "source": "Natural Earth 1:10m admin-0 countries (public domain) via world-atlas 2.0.2 (ISC); "
                      "city areas are schematic (nearest city centre), not administrative boundaries",
            "built_by": "scripts/build_basemap.py",
        },
        "features": features,
    }
    with open("static/geo/gba-basemap.geojson", "w", encoding="utf-8") as handle:
        json.dump(collection, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
