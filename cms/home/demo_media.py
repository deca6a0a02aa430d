"""Photos and documents for the demo reports, drawn at load time.

The demo must not download anything, and every report page should exercise
the attachment path as a real report does (officers nearly always attach a
photo). Each photo is a simple drawn scene of what the report is about, in
phone-camera size (1280×960), stamped like a field photo with place and time,
and different per report (the seed is the report's title)."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1280, 960
HORIZON = 560


def _sky(draw, rng, smoky=False):
    top = (120, 120, 125) if smoky else (rng.randint(90, 130), rng.randint(150, 190), 235)
    bottom = (190, 180, 170) if smoky else (205, 225, 245)
    for y in range(0, HORIZON, 8):
        t = y / HORIZON
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.rectangle((0, y, WIDTH, y + 8), fill=colour)


def _ground(draw, rng, colour=None):
    colour = colour or (rng.randint(60, 90), rng.randint(120, 150), rng.randint(50, 70))
    draw.rectangle((0, HORIZON, WIDTH, HEIGHT), fill=colour)


def _trees(draw, rng, count=6):
    for _ in range(count):
        x = rng.randint(0, WIDTH)
        h = rng.randint(120, 220)
        draw.rectangle((x - 8, HORIZON - h // 3, x + 8, HORIZON + 10), fill=(90, 60, 35))
        draw.ellipse((x - h // 3, HORIZON - h, x + h // 3, HORIZON - h // 3 + 20),
                     fill=(30, rng.randint(90, 130), 40))


def _houses(draw, rng, count=4, base=HORIZON + 40):
    for i in range(count):
        x = 80 + i * (WIDTH - 160) // count + rng.randint(-20, 20)
        w, h = rng.randint(150, 210), rng.randint(110, 150)
        wall = rng.choice([(200, 170, 120), (180, 150, 110), (210, 200, 180)])
        draw.rectangle((x, base - h, x + w, base), fill=wall, outline=(60, 40, 20), width=3)
        draw.polygon([(x - 15, base - h), (x + w // 2, base - h - 70), (x + w + 15, base - h)],
                     fill=(140, 50, 40))
        draw.rectangle((x + w // 2 - 18, base - 70, x + w // 2 + 18, base), fill=(90, 60, 35))


def _people(draw, rng, count, y_min=HORIZON + 60, y_max=HEIGHT - 120):
    for _ in range(count):
        x, y = rng.randint(40, WIDTH - 40), rng.randint(y_min, y_max)
        shirt = rng.choice([(200, 40, 40), (40, 90, 200), (240, 240, 240), (30, 30, 30),
                            (230, 180, 30)])
        draw.ellipse((x - 12, y - 60, x + 12, y - 36), fill=(150, 105, 75))
        draw.rectangle((x - 16, y - 36, x + 16, y + 10), fill=shirt)
        draw.rectangle((x - 14, y + 10, x + 14, y + 40), fill=(50, 50, 60))


def scene_banjir(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng)
    _trees(draw, rng, 4)
    _houses(draw, rng, 4, base=HORIZON + 120)
    water = (110, 95, 60)
    draw.rectangle((0, HORIZON + 50, WIDTH, HEIGHT), fill=water)
    for y in range(HORIZON + 70, HEIGHT, 30):
        for x in range(rng.randint(0, 60), WIDTH, 120):
            draw.arc((x, y, x + 80, y + 20), 200, 340, fill=(160, 145, 105), width=3)


def scene_api(draw, rng):
    _sky(draw, rng, smoky=True)
    _ground(draw, rng, colour=(70, 60, 40))
    _trees(draw, rng, 8)
    for _ in range(14):
        x = rng.randint(100, WIDTH - 100)
        h = rng.randint(80, 200)
        draw.polygon([(x - 40, HORIZON + 40), (x, HORIZON + 40 - h), (x + 40, HORIZON + 40)],
                     fill=rng.choice([(240, 120, 20), (250, 180, 40), (220, 60, 20)]))
    for _ in range(10):
        x, y, r = rng.randint(0, WIDTH), rng.randint(60, HORIZON - 100), rng.randint(60, 140)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=(100, 100, 100))


def scene_keramaian(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng, colour=(150, 140, 120))
    _houses(draw, rng, 3, base=HORIZON + 20)
    _people(draw, rng, rng.randint(25, 45))


def scene_pasar(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng, colour=(140, 130, 115))
    for i in range(5):
        x = 40 + i * 250
        cloth = rng.choice([(200, 40, 40), (40, 120, 200), (240, 200, 40), (40, 160, 90)])
        draw.polygon([(x, HORIZON - 40), (x + 110, HORIZON - 110), (x + 220, HORIZON - 40)],
                     fill=cloth)
        draw.rectangle((x + 10, HORIZON - 40, x + 210, HORIZON + 60), fill=(160, 120, 70))
        for j in range(6):
            draw.ellipse((x + 20 + j * 30, HORIZON + 20, x + 44 + j * 30, HORIZON + 44),
                         fill=rng.choice([(230, 90, 30), (250, 220, 60), (90, 160, 40)]))
    _people(draw, rng, rng.randint(12, 25))


def scene_jalan(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng)
    _trees(draw, rng, 6)
    draw.polygon([(520, HORIZON), (760, HORIZON), (1180, HEIGHT), (100, HEIGHT)],
                 fill=(80, 80, 85))
    x, y = 640, HORIZON + 80
    for _ in range(9):
        nx, ny = x + rng.randint(-90, 90), y + rng.randint(30, 60)
        draw.line((x, y, nx, ny), fill=(25, 25, 25), width=rng.randint(6, 14))
        x, y = nx, ny
    draw.polygon([(300, HEIGHT - 120), (560, HEIGHT - 220), (700, HEIGHT), (260, HEIGHT)],
                 fill=(120, 90, 55))


def scene_spanduk(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng, colour=(120, 110, 100))
    _houses(draw, rng, 4)
    draw.rectangle((300, 300, 980, 440), fill=(245, 245, 240), outline=(180, 20, 20), width=8)
    for row in range(3):
        draw.rectangle((340, 325 + row * 35, 940 - rng.randint(0, 200), 345 + row * 35),
                       fill=(40, 40, 40))
    draw.line((300, 440, 300, HORIZON + 40), fill=(70, 50, 30), width=10)
    draw.line((980, 440, 980, HORIZON + 40), fill=(70, 50, 30), width=10)


def scene_kebun(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng, colour=(80, 130, 50))
    for row in range(5):
        y = HORIZON + 30 + row * 75
        for x in range(rng.randint(0, 40), WIDTH, 110):
            draw.rectangle((x, y - 60, x + 10, y), fill=(100, 70, 40))
            draw.ellipse((x - 30, y - 110, x + 40, y - 50), fill=(40, 110, 40))
    draw.line((0, HORIZON + 200, WIDTH, HORIZON + 150), fill=(200, 30, 30), width=6)
    _people(draw, rng, 4)


def scene_sungai(draw, rng):
    _sky(draw, rng)
    _ground(draw, rng)
    _trees(draw, rng, 7)
    draw.polygon([(0, HORIZON + 120), (WIDTH, HORIZON + 60), (WIDTH, HEIGHT - 150),
                  (0, HEIGHT - 60)], fill=(90, 110, 120))
    for _ in range(3):
        x = rng.randint(100, WIDTH - 300)
        y = rng.randint(HORIZON + 150, HEIGHT - 200)
        draw.polygon([(x, y), (x + 220, y), (x + 190, y + 30), (x + 30, y + 30)],
                     fill=(120, 70, 30))


def scene_rapat(draw, rng):
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill=(225, 215, 195))
    draw.rectangle((0, 620, WIDTH, HEIGHT), fill=(150, 110, 70))
    draw.rectangle((380, 120, 900, 360), fill=(250, 250, 250), outline=(60, 60, 60), width=6)
    draw.rectangle((150, 560, 1130, 640), fill=(110, 70, 40))
    for i in range(8):
        x = 200 + i * 120
        draw.ellipse((x - 22, 440, x + 22, 484), fill=(150, 105, 75))
        draw.rectangle((x - 30, 484, x + 30, 570), fill=rng.choice([(30, 60, 120), (240, 240, 240),
                                                                    (120, 40, 40)]))


SCENES = {
    "banjir": scene_banjir,
    "api": scene_api,
    "keramaian": scene_keramaian,
    "pasar": scene_pasar,
    "jalan": scene_jalan,
    "spanduk": scene_spanduk,
    "kebun": scene_kebun,
    "sungai": scene_sungai,
    "rapat": scene_rapat,
}


def _stamp(draw, caption, place, when):
    """The field-photo stamp officers' camera apps put in the corner."""
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill=(0, 0, 0))
    draw.text((30, HEIGHT - 98), caption[:60], fill=(255, 255, 255), font_size=38)
    stamp = f"{place} · {timezone.localtime(when):%d-%m-%Y %H:%M} WITA"
    draw.text((30, HEIGHT - 48), stamp, fill=(255, 220, 120), font_size=28)


def photo(scene, caption, place, when, name="foto.jpg"):
    rng = random.Random(f"{scene}/{caption}/{place}")  # noqa: S311 - drawing, not secrets
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    SCENES[scene](draw, rng)
    _stamp(draw, caption, place, when)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=78)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def document(title, lines, name="berita-acara.pdf"):
    """A one-page A4 letter as PDF (what a camat's office sends)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.text((120, 110), "PEMERINTAH KABUPATEN BALANGAN", fill="black", font_size=44)
    draw.line((120, 180, 1120, 180), fill="black", width=4)
    draw.text((120, 240), title[:48], fill="black", font_size=36)
    for number, line in enumerate(lines):
        draw.text((120, 340 + number * 56), line[:70], fill="black", font_size=28)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
