// A labelled coordinate grid drawn over an image, so a model can read positions off the picture
// and name the region to crop next. Labels are pixel coordinates of the SOURCE image, even when
// the picture shown is scaled down, so they can be used in a crop of the source as they are.
import { ToolError } from "../../core/errors.js";
import type { Size } from "./raw-image.js";

export type Grid = {
  /** Positions of the vertical and horizontal lines, in source pixels. */
  xs: number[];
  ys: number[];
  /** "lines every 50 px" or "a 4x3 grid of cells, each 100x100 px". */
  description: string;
};

export type GridRequest = { spacing?: number; cells?: number };

/** More lines than this per side is a texture, not a grid. */
const maxLinesPerSide = 40;

export function planGrid(source: Size, request: GridRequest): Grid {
  if (request.spacing !== undefined && request.cells !== undefined) {
    throw new ToolError("Give either spacing (pixels between lines) or cells (cells per side), not both.");
  }
  if (request.cells !== undefined) {
    const cells = request.cells;
    const positions = (length: number) => Array.from({ length: cells - 1 }, (_, index) => Math.round(((index + 1) * length) / cells));
    const cellWidth = Math.round(source.width / cells);
    const cellHeight = Math.round(source.height / cells);
    return {
      xs: positions(source.width),
      ys: positions(source.height),
      description: `a ${cells}x${cells} grid of cells, each about ${cellWidth}x${cellHeight} px`,
    };
  }
  const spacing = request.spacing ?? niceSpacing(Math.max(source.width, source.height) / 8);
  const lines = Math.floor((Math.max(source.width, source.height) - 1) / spacing);
  if (lines > maxLinesPerSide) {
    const smallest = Math.ceil(Math.max(source.width, source.height) / maxLinesPerSide);
    throw new ToolError(
      `A spacing of ${spacing} px would draw ${lines} lines across this ${source.width}x${source.height} image; use a spacing of at least ${smallest} px.`,
    );
  }
  if (lines === 0) {
    throw new ToolError(
      `A spacing of ${spacing} px draws no line inside this ${source.width}x${source.height} image; use a spacing below ${Math.max(source.width, source.height)} px.`,
    );
  }
  const positions = (length: number) => Array.from({ length: Math.floor((length - 1) / spacing) }, (_, index) => (index + 1) * spacing);
  return { xs: positions(source.width), ys: positions(source.height), description: `lines every ${spacing} px` };
}

/** The grid as an SVG of the output's size; `source` is the size the labels count in. */
export function gridOverlaySvg(output: Size, source: Size, grid: Grid): string {
  const scaleX = output.width / source.width;
  const scaleY = output.height / source.height;
  const fontSize = Math.min(22, Math.max(12, Math.round(Math.min(output.width, output.height) / 35)));
  const halo = Math.max(2, Math.round(fontSize / 4));
  const lines: string[] = [];
  const labels: string[] = [];
  // Labels that would overlap the previous one are left out; their lines still show.
  let lastLabelEnd = -Infinity;
  for (const x of grid.xs) {
    const position = Math.round(x * scaleX) + 0.5;
    lines.push(`M${position} 0V${output.height}`);
    const start = position + 3;
    if (start < lastLabelEnd + 4 || start + labelWidth(x, fontSize) > output.width) continue;
    labels.push(`<text x="${start}" y="${fontSize + 1}">${x}</text>`);
    lastLabelEnd = start + labelWidth(x, fontSize);
  }
  lastLabelEnd = fontSize + 4; // The first y label must clear the row of x labels.
  for (const y of grid.ys) {
    const position = Math.round(y * scaleY) + 0.5;
    lines.push(`M0 ${position}H${output.width}`);
    const baseline = position + fontSize + 1;
    if (baseline - fontSize < lastLabelEnd + 2 || baseline > output.height) continue;
    labels.push(`<text x="3" y="${baseline}">${y}</text>`);
    lastLabelEnd = baseline;
  }
  const path = lines.join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${output.width}" height="${output.height}">`,
    // A dark band under a bright line keeps the grid visible on light and dark images alike.
    `<path d="${path}" stroke="#000000" stroke-opacity="0.45" stroke-width="3" fill="none"/>`,
    `<path d="${path}" stroke="#ff2bd6" stroke-width="1" fill="none"/>`,
    `<g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${fontSize}" font-weight="bold" fill="#ffffff" stroke="#000000" stroke-width="${halo}" paint-order="stroke">`,
    ...labels,
    "</g>",
    "</svg>",
  ].join("\n");
}

/** A round step (1, 2 or 5 times a power of ten) of at least `minimum`. */
export function niceSpacing(minimum: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, minimum)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= minimum) return factor * power;
  return 10 * power;
}

function labelWidth(value: number, fontSize: number): number {
  // Bold digits of the fonts above are about 0.7 em wide.
  return String(value).length * fontSize * 0.7;
}
