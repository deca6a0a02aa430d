"""Where the kecamatan of Balangan are, for the dashboard map when no tile
server answers (offline, or blocked): each kecamatan's name at its rough
centre, and a guide line around them. The guide line is drawn from the
centres, not from an official boundary, and the map says so."""

import math

# Rough centre of each kecamatan (slug: lat, lng), the same points the demo
# data places its reports around.
KECAMATAN_CENTRE = {
    "paringin": (-2.3349, 115.4690),
    "paringin-selatan": (-2.3611, 115.4823),
    "halong": (-2.3853, 115.6405),
    "juai": (-2.2405, 115.6001),
    "awayan": (-2.4561, 115.4180),
    "batumandi": (-2.3157, 115.5282),
    "lampihong": (-2.3701, 115.3512),
    "tebing-tinggi": (-2.1910, 115.6620),
}

# How far (degrees) the guide line stays outside the outermost centres.
MARGIN = 0.07


def _hull(points):
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def guide_outline(centres=None):
    """The hull of the centres pushed MARGIN outwards from their middle."""
    points = list((centres or KECAMATAN_CENTRE).values())
    if not points:
        return []
    mid_lat = sum(p[0] for p in points) / len(points)
    mid_lng = sum(p[1] for p in points) / len(points)
    outline = []
    for lat, lng in _hull(points):
        d_lat, d_lng = lat - mid_lat, lng - mid_lng
        length = math.hypot(d_lat, d_lng) or 1
        outline.append([round(lat + MARGIN * d_lat / length, 4),
                        round(lng + MARGIN * d_lng / length, 4)])
    return outline


def bounds():
    """South-west and north-east corners that hold the guide line."""
    outline = guide_outline()
    lats = [p[0] for p in outline]
    lngs = [p[1] for p in outline]
    return [[min(lats), min(lngs)], [max(lats), max(lngs)]]
