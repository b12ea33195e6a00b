"""Straight-line distances between hospitals and border control points."""

from dataclasses import dataclass
from decimal import Decimal
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float | Decimal, lon1: float | Decimal, lat2: float | Decimal, lon2: float | Decimal) -> float:
    lat1, lon1, lat2, lon2 = (radians(float(value)) for value in (lat1, lon1, lat2, lon2))
    a = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


@dataclass(frozen=True)
class NearbyBorderPoint:
    border_point: object
    distance_km: float


def nearest_border_points(hospital, border_points, limit: int = 2) -> list[NearbyBorderPoint]:
    """The `limit` nearest border points to `hospital`, nearest first. Pass the
    border points in (there are only a handful) so a list page costs no extra query."""
    if hospital.latitude is None or hospital.longitude is None:
        return []
    nearby = [
        NearbyBorderPoint(point, haversine_km(hospital.latitude, hospital.longitude, point.latitude, point.longitude))
        for point in border_points
    ]
    return sorted(nearby, key=lambda item: item.distance_km)[:limit]
