// Queue dashboard: a small SVG line chart with axes, tick labels, units, a legend and hover values.
// No chart library; styles live in app.css (the CSP allows no inline style).

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = 8;

function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceStep(max, ticks) {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function label(value) {
  if (value >= 1000) return `${+(value / 1000).toFixed(1)}k`;
  return `${+value.toFixed(value < 1 ? 2 : value < 10 ? 1 : 0)}`;
}

function clock(seconds, long) {
  const date = new Date(seconds * 1000);
  const hm = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return long ? `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${hm}` : hm;
}

// lineChart({title, unit, points: [unix seconds], series: [{label, values: [number|null]}], width})
// `width` is the pixels the chart gets, so its text keeps its size on a phone and on a wide screen.
export function lineChart({ title, unit, points, series, width: wanted }) {
  const width = Math.max(260, Math.round(wanted || 640));
  const height = width < 480 ? 200 : 240;
  const pad = { left: 48, right: 12, top: 24, bottom: 28 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const values = series.flatMap((line) => line.values.filter((v) => v !== null));
  const max = Math.max(0, ...values);
  const step = niceStep(max > 0 ? max : 1, 4);
  const top = Math.max(step, Math.ceil((max || 1) / step) * step);
  const long = points.length > 1 && points[points.length - 1] - points[0] > 86400;
  const x = (index) => pad.left + (points.length > 1 ? (index / (points.length - 1)) * plotW : plotW / 2);
  const y = (value) => pad.top + plotH - (value / top) * plotH;

  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart-svg",
    role: "img",
    "aria-label": `${title} (${unit})`,
  });
  svg.append(el("title", {}, `${title} (${unit})`));
  const grid = el("g", { class: "chart-grid" });
  for (let value = 0; value <= top + step / 2; value += step) {
    grid.append(el("line", { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }));
    grid.append(el("text", { x: pad.left - 8, y: y(value) + 4, class: "chart-tick chart-tick-y" }, label(value)));
  }
  const ticks = Math.min(width < 480 ? 3 : 6, points.length);
  for (let tickIndex = 0; tickIndex < ticks; tickIndex += 1) {
    const index = Math.round((tickIndex / Math.max(1, ticks - 1)) * (points.length - 1));
    const anchor = tickIndex === 0 ? "start" : tickIndex === ticks - 1 ? "end" : "middle";
    grid.append(el("text", { x: x(index), y: height - 8, class: "chart-tick chart-tick-x", "text-anchor": anchor }, clock(points[index], long)));
  }
  grid.append(el("text", { x: 4, y: 12, class: "chart-unit" }, unit));
  grid.append(el("line", { x1: pad.left, x2: pad.left, y1: pad.top, y2: pad.top + plotH, class: "chart-axis" }));
  grid.append(el("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + plotH, y2: pad.top + plotH, class: "chart-axis" }));
  svg.append(grid);

  series.forEach((line, number) => {
    let path = "";
    let open = false;
    line.values.forEach((value, index) => {
      if (value === null) {
        open = false;
        return;
      }
      path += `${open ? "L" : "M"}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
      open = true;
    });
    if (path) svg.append(el("path", { d: path, class: `chart-line chart-c${number % COLOURS}` }));
    // A minute with no measured neighbour is a dot (a line needs two points).
    line.values.forEach((value, index) => {
      const alone = (index === 0 || line.values[index - 1] === null) && (index === line.values.length - 1 || line.values[index + 1] === null);
      if (value !== null && alone) svg.append(el("circle", { cx: x(index), cy: y(value), r: 3, class: `chart-dot chart-c${number % COLOURS}` }));
    });
  });

  // Hover: a guide line and every series' value at the nearest point.
  const guide = el("line", { y1: pad.top, y2: pad.top + plotH, class: "chart-guide", visibility: "hidden" });
  svg.append(guide);
  const figure = document.createElement("figure");
  figure.className = "chart";
  const caption = document.createElement("figcaption");
  caption.className = "chart-title";
  caption.textContent = `${title} `;
  const unitNode = document.createElement("span");
  unitNode.className = "muted";
  unitNode.textContent = `(${unit})`;
  caption.append(unitNode);
  const readout = document.createElement("div");
  readout.className = "chart-readout";
  readout.setAttribute("aria-live", "off");
  svg.addEventListener("pointermove", (event) => {
    const box = svg.getBoundingClientRect();
    const at = ((event.clientX - box.left) / box.width) * width;
    const index = Math.max(0, Math.min(points.length - 1, Math.round(((at - pad.left) / plotW) * (points.length - 1))));
    guide.setAttribute("x1", x(index));
    guide.setAttribute("x2", x(index));
    guide.setAttribute("visibility", "visible");
    const parts = series.map((line) => `${line.label}: ${line.values[index] === null ? "–" : label(line.values[index])} ${unit}`);
    readout.textContent = `${clock(points[index], long)} · ${parts.join(" · ")}`;
  });
  svg.addEventListener("pointerleave", () => {
    guide.setAttribute("visibility", "hidden");
    readout.textContent = "";
  });
  const legend = document.createElement("ul");
  legend.className = "chart-legend";
  series.forEach((line, number) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `chart-swatch chart-c${number % COLOURS}`;
    item.append(swatch, document.createTextNode(line.label));
    legend.append(item);
  });
  figure.append(caption, svg, readout, legend);
  return figure;
}
