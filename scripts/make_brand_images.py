"""Regenerate the brand images of the Heat Pump Health integration.

Draws the mark (an outdoor heat pump unit whose fan hub is a heart, with a
heartbeat trace on its side panel) and the logo (the mark next to the words
"Heat Pump Health") with Pillow, and writes the eight PNG files Home Assistant
serves from ``custom_components/heat_pump_health/brand/``: ``icon``, ``logo``,
their ``dark_`` variants and the ``@2x`` (hDPI) version of each.

Everything is drawn at several times the final size, downsampled with LANCZOS
for anti-aliasing, trimmed to its content and saved as optimized, lossless PNG
on a transparent background, following the image rules of the
home-assistant/brands repository. When ``zopflipng`` or ``optipng`` is on the
PATH (Debian packages ``zopfli`` and ``optipng``), each file is then
recompressed with it, losslessly, for a smaller file.

Usage::

    .venv/bin/python scripts/make_brand_images.py
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, pi, sin
from pathlib import Path
import shutil
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
BRAND_DIR = ROOT / "custom_components" / "heat_pump_health" / "brand"

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)

SUPERSAMPLE = 4
ICON_SIZE = 256
LOGO_HEIGHT = 128
MAX_LOGO_WIDTH = 1024
TEXT_SIZE = 0.40  # font size of the logo text, as a fraction of its height

type RGB = tuple[int, int, int]
type Point = tuple[float, float]


def hex_rgb(value: str) -> RGB:
    """Return the RGB tuple of a ``#RRGGBB`` colour."""
    value = value.removeprefix("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


@dataclass(frozen=True)
class Palette:
    """Colours of one variant: for a light or for a dark background."""

    body_top: RGB  # cool: the unit
    body_bottom: RGB
    feet: RGB
    detail: RGB  # grille, hub and heartbeat trace
    heart: RGB  # warm: the heart in the fan hub
    text: RGB  # "Heat Pump"
    accent: RGB  # "Health"


LIGHT = Palette(
    body_top=hex_rgb("#2196F3"),
    body_bottom=hex_rgb("#1E88E5"),
    feet=hex_rgb("#1565C0"),
    detail=hex_rgb("#FFFFFF"),
    heart=hex_rgb("#F57C00"),
    text=hex_rgb("#263238"),
    accent=hex_rgb("#F57C00"),
)

DARK = Palette(
    body_top=hex_rgb("#2196F3"),
    body_bottom=hex_rgb("#1E88E5"),
    feet=hex_rgb("#64B5F6"),
    detail=hex_rgb("#FFFFFF"),
    heart=hex_rgb("#F57C00"),
    text=hex_rgb("#ECEFF1"),
    accent=hex_rgb("#FB8C00"),
)


def vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """Return an RGBA image fading from ``top`` to ``bottom``."""
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    upper = Image.new("RGBA", size, (*top, 255))
    lower = Image.new("RGBA", size, (*bottom, 255))
    return Image.composite(lower, upper, mask)


def heart_outline(centre: Point, width: float, steps: int = 240) -> list[Point]:
    """Return the outline of a heart centred on ``centre``, ``width`` wide."""
    # The classic parametric heart spans x in [-16, 16] and y in [-17, 12];
    # shifting y by 2.5 puts the centre of that box on ``centre``.
    cx, cy = centre
    scale = width / 32
    points: list[Point] = []
    for step in range(steps):
        t = 2 * pi * step / steps
        x = 16 * sin(t) ** 3
        y = 13 * cos(t) - 5 * cos(2 * t) - 2 * cos(3 * t) - cos(4 * t)
        points.append((cx + x * scale, cy - (y + 2.5) * scale))
    return points


class Mark:
    """The square mark, drawn on a transparent canvas ``size`` pixels wide."""

    # Layout, as fractions of the canvas.
    BODY = (0.0, 0.12, 1.0, 0.84)
    BODY_RADIUS = 0.13
    FEET = ((0.14, 0.78, 0.32, 0.92), (0.68, 0.78, 0.86, 0.92))
    FAN = (0.355, 0.48)
    FAN_RING = (0.275, 0.05)  # outer radius, stroke
    BLADES = 4
    BLADE = (0.148, 0.098, 0.045, 0.55)  # offset, half length, half width, tilt
    HUB_RADIUS = 0.098
    HUB_GAP = 0.022
    HEART_WIDTH = 0.13
    TRACE: tuple[Point, ...] = (
        (0.715, 0.50),
        (0.765, 0.50),
        (0.80, 0.30),
        (0.845, 0.68),
        (0.88, 0.50),
        (0.925, 0.50),
    )
    TRACE_STROKE = 0.05

    def __init__(self, size: int, palette: Palette) -> None:
        """Prepare an empty canvas."""
        self.size = size
        self.palette = palette
        self.image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def px(self, value: float) -> float:
        """Return a fraction of the canvas in pixels."""
        return value * self.size

    def box(self, frame: tuple[float, float, float, float]) -> list[float]:
        """Return a frame given in fractions in pixels."""
        return [self.px(value) for value in frame]

    def circle(self, centre: Point, radius: float) -> list[float]:
        """Return the bounding box of a circle given in fractions."""
        x, y = centre
        return self.box((x - radius, y - radius, x + radius, y + radius))

    def render(self) -> Image.Image:
        """Draw every part and return the image."""
        self._feet()
        self._body()
        self._fan()
        self._trace()
        return self.image

    def _feet(self) -> None:
        for foot in self.FEET:
            self.draw.rounded_rectangle(
                self.box(foot), radius=self.px(0.035), fill=(*self.palette.feet, 255)
            )

    def _body(self) -> None:
        mask = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            self.box(self.BODY), radius=self.px(self.BODY_RADIUS), fill=255
        )
        fill = vertical_gradient(self.image.size, self.palette.body_top, self.palette.body_bottom)
        self.image.paste(fill, (0, 0), mask)

    def _fan(self) -> None:
        radius, stroke = self.FAN_RING
        mask = Image.new("L", self.image.size, 0)
        draw = ImageDraw.Draw(mask)
        draw.ellipse(self.circle(self.FAN, radius), outline=255, width=round(self.px(stroke)))
        for blade in range(self.BLADES):
            draw.polygon(self._blade(2 * pi * blade / self.BLADES), fill=255)
        # A thin gap of body colour sets the hub off from the blades.
        draw.ellipse(self.circle(self.FAN, self.HUB_RADIUS + self.HUB_GAP), fill=0)
        draw.ellipse(self.circle(self.FAN, self.HUB_RADIUS), fill=255)
        self.image.paste((*self.palette.detail, 255), (0, 0, *self.image.size), mask)

        centre = (self.px(self.FAN[0]), self.px(self.FAN[1]))
        self.draw.polygon(
            heart_outline(centre, self.px(self.HEART_WIDTH)),
            fill=(*self.palette.heart, 255),
        )

    def _blade(self, angle: float, steps: int = 120) -> list[Point]:
        """Return one fan blade: an ellipse off the hub, tilted for a swirl."""
        distance, length, width, tilt = self.BLADE
        cx, cy = self.FAN
        points: list[Point] = []
        for step in range(steps):
            t = 2 * pi * step / steps
            # The ellipse along the x axis, tilted, pushed out, then turned.
            x, y = length * cos(t), width * sin(t)
            x, y = x * cos(tilt) - y * sin(tilt), x * sin(tilt) + y * cos(tilt)
            x += distance
            x, y = x * cos(angle) - y * sin(angle), x * sin(angle) + y * cos(angle)
            points.append((self.px(cx + x), self.px(cy + y)))
        return points

    def _trace(self) -> None:
        detail = (*self.palette.detail, 255)
        stroke = self.px(self.TRACE_STROKE)
        points = [(self.px(x), self.px(y)) for x, y in self.TRACE]
        self.draw.line(points, fill=detail, width=round(stroke), joint="curve")
        half = stroke / 2
        for x, y in (points[0], points[-1]):
            self.draw.ellipse([x - half, y - half, x + half, y + half], fill=detail)


def trim(image: Image.Image) -> Image.Image:
    """Crop ``image`` to the bounding box of its visible pixels."""
    bbox = image.getchannel("A").getbbox()
    if bbox is None:
        msg = "nothing was drawn"
        raise ValueError(msg)
    return image.crop(bbox)


def downsample(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Resize with LANCZOS in premultiplied alpha, so edges do not fringe."""
    return image.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")


def make_icon(pixels: int, palette: Palette) -> Image.Image:
    """Return the square icon, ``pixels`` wide, trimmed to its content."""
    big = trim(Mark(pixels * SUPERSAMPLE, palette).render())
    side = max(big.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(big, ((side - big.width) // 2, (side - big.height) // 2))
    return downsample(square, (pixels, pixels))


def load_font(size: int) -> ImageFont.FreeTypeFont:
    """Return DejaVu Sans Bold at ``size`` pixels."""
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return ImageFont.truetype(str(candidate), size)
    msg = "DejaVu Sans Bold not found; install fonts-dejavu-core"
    raise FileNotFoundError(msg)


def make_logo(height: int, palette: Palette) -> Image.Image:
    """Return the logo, ``height`` pixels high and as wide as its content.

    The mark on the left, and on its right "Heat Pump" over "Health", the two lines
    centred on the body of the heat pump unit.
    """
    scale = height * SUPERSAMPLE
    # Draw the mark so that, trimmed to the body top and the feet, it is ``scale`` high.
    top, bottom = Mark.BODY[1], Mark.FEET[0][3]
    mark = trim(Mark(round(scale / (bottom - top)), palette).render())
    body_centre = mark.height * ((top + Mark.BODY[3]) / 2 - top) / (bottom - top)

    # Two lines of text, centred on the body; the gap is a fraction of the cap height.
    font = load_font(round(scale * TEXT_SIZE))
    cap_top, cap_bottom = font.getbbox("H")[1], font.getbbox("H")[3]
    cap = cap_bottom - cap_top
    line_gap = 0.5
    block_top = body_centre - cap * (2 + line_gap) / 2

    lines = (("Heat Pump", palette.text), ("Health", palette.accent))
    text_x = mark.width + round(scale * 0.16)
    width = text_x + round(max(font.getlength(text) for text, _ in lines))
    logo = Image.new("RGBA", (width, mark.height), (0, 0, 0, 0))
    logo.paste(mark, (0, 0), mark)
    draw = ImageDraw.Draw(logo)
    for index, (text, colour) in enumerate(lines):
        cap_y = block_top + index * cap * (1 + line_gap)
        draw.text((text_x, cap_y - cap_top), text, font=font, fill=(*colour, 255))

    logo = trim(logo)
    out_width = round(logo.width * height / logo.height)
    if out_width > MAX_LOGO_WIDTH:
        msg = f"the logo would be {out_width} px wide"
        raise ValueError(msg)
    return downsample(logo, (out_width, height))


def optimize(path: Path) -> None:
    """Recompress a PNG losslessly with zopflipng or optipng, if installed."""
    if zopflipng := shutil.which("zopflipng"):
        command = [zopflipng, "-y", "-m", str(path), str(path)]
    elif optipng := shutil.which("optipng"):
        command = [optipng, "-quiet", "-o7", "-strip", "all", str(path)]
    else:
        return
    subprocess.run(command, check=True, capture_output=True)


def save(image: Image.Image, name: str) -> None:
    """Write ``image`` as an optimized PNG into the brand folder."""
    path = BRAND_DIR / name
    image.save(path, format="PNG", optimize=True)
    optimize(path)
    size = path.stat().st_size / 1024
    sys.stdout.write(f"{name}: {image.width}x{image.height}, {size:.1f} KiB\n")


def main() -> None:
    """Draw and write all brand images."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        save(make_icon(ICON_SIZE, palette), f"{prefix}icon.png")
        save(make_icon(ICON_SIZE * 2, palette), f"{prefix}icon@2x.png")
        save(make_logo(LOGO_HEIGHT, palette), f"{prefix}logo.png")
        save(make_logo(LOGO_HEIGHT * 2, palette), f"{prefix}logo@2x.png")


if __name__ == "__main__":
    main()
