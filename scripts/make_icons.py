"""Draws Qorgau's app icons (the favicon's shield and cross) as PNGs for the web app manifest and iOS.

    .venv/bin/python scripts/make_icons.py     # writes static/img/icons/*.png

"any" icons fill the square with the shield on white; "maskable" ones keep the shield inside the 80 % safe zone
on the theme colour, as Android crops them to a circle or a squircle. Run again after changing the drawing.
"""

from pathlib import Path

from PIL import Image, ImageDraw

THEME = (13, 110, 253)  # Bootstrap's primary, the navigation bar's colour: #0d6efd
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
ANY_SIZES = (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)
MASKABLE_SIZES = (192, 512)
APPLE_TOUCH = 180
SCALE = 4  # drawn 4× larger, then downsampled: smooth edges without an SVG renderer


def _shield(size: int, *, inset: float, background: tuple[int, int, int], shield: tuple[int, int, int]) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGB", (big, big), background)
    draw = ImageDraw.Draw(image)
    box = big * (1 - 2 * inset)
    off = big * inset

    def at(x: float, y: float) -> tuple[float, float]:  # the favicon's 32-unit grid
        return (off + x / 32 * box, off + y / 32 * box)

    # The favicon's path "M16 1 3 6v9c0 8 5.5 13.7 13 16 7.5-2.3 13-8 13-16V6z", its curves as polylines.
    outline = [at(16, 1), at(3, 6), at(3, 15)]
    steps = 24
    for i in range(1, steps + 1):  # cubic from (3,15) to (16,31), controls (3,23) and (8.5,28.7)
        t = i / steps
        x = (1 - t) ** 3 * 3 + 3 * (1 - t) ** 2 * t * 3 + 3 * (1 - t) * t**2 * 8.5 + t**3 * 16
        y = (1 - t) ** 3 * 15 + 3 * (1 - t) ** 2 * t * 23 + 3 * (1 - t) * t**2 * 28.7 + t**3 * 31
        outline.append(at(x, y))
    for i in range(1, steps + 1):  # its mirror image to (29,15)
        t = i / steps
        x = (1 - t) ** 3 * 16 + 3 * (1 - t) ** 2 * t * 23.5 + 3 * (1 - t) * t**2 * 29 + t**3 * 29
        y = (1 - t) ** 3 * 31 + 3 * (1 - t) ** 2 * t * 28.7 + 3 * (1 - t) * t**2 * 23 + t**3 * 15
        outline.append(at(x, y))
    outline += [at(29, 6)]
    draw.polygon(outline, fill=shield)
    cross = background if shield != WHITE else THEME
    draw.rectangle([*at(14, 8), *at(18, 24)], fill=cross)
    draw.rectangle([*at(8, 14), *at(24, 18)], fill=cross)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in ANY_SIZES:
        _shield(size, inset=0.02, background=WHITE, shield=THEME).save(OUT / f"icon-{size}.png", optimize=True)
    for size in MASKABLE_SIZES:
        _shield(size, inset=0.16, background=THEME, shield=WHITE).save(OUT / f"maskable-{size}.png", optimize=True)
    # iOS ignores the manifest's icons and rounds the corners itself: an opaque square.
    _shield(APPLE_TOUCH, inset=0.08, background=WHITE, shield=THEME).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
