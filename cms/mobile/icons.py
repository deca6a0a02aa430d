"""The app's icons, drawn with Pillow and committed as PNGs under assets/.

Regenerate after changing the drawing: `.venv/bin/python -m cms.mobile.icons`
(tests/mobile checks the committed files match this drawing)."""

from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (192, 512)
GREEN = (11, 93, 59)
GOLD = (242, 183, 5)
WHITE = (255, 255, 255)


def draw(size):
    """A watch-tower signal: concentric arcs above a dot, inside the maskable safe zone."""
    image = Image.new("RGB", (size, size), GREEN)
    pen = ImageDraw.Draw(image)
    centre = size / 2
    unit = size / 16
    width = max(2, round(unit * 0.9))
    for radius in (2.2, 3.7):
        r = radius * unit
        box = (centre - r, centre - r + unit, centre + r, centre + r + unit)
        pen.arc(box, 200, 340, fill=WHITE, width=width)
    dot = 1.1 * unit
    pen.ellipse((centre - dot, centre + unit - dot, centre + dot, centre + unit + dot), fill=GOLD)
    return image


def path_for(size):
    return Path(__file__).parent / "assets" / f"icon-{size}.png"


def main():
    for size in SIZES:
        draw(size).save(path_for(size), optimize=True)


if __name__ == "__main__":
    main()
