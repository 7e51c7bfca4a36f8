'use strict';
// The grid: every unit listed at the current tick as a dot in its colour, with a short trail of
// where it stood the ticks before, the tick's events as markers, on a canvas that pans (drag)
// and zooms (wheel). y grows upwards, as in the trace.

const TRAIL = 6;
/** Markers of the events shown on the grid; the others are in the list only. */
const MARKERS = {
  chase_caught: 'catch',
  chase_started: 'chase',
  chase_lost: 'lost',
  signal_sent: 'signal',
  signal_received: 'signal',
  signal_dropped: 'signal',
  despawned: 'despawn',
  behavior_completed: 'end',
  behavior_failed: 'end',
  behavior_faulted: 'end',
  behavior_cancelled: 'end',
  budget_exhausted: 'warn',
  write_failed: 'warn',
  paused: 'control',
  resumed: 'control',
  interrupted: 'control',
};
const MAX_MARKERS = 5000;

class Grid {
  constructor(canvas, trace, colours) {
    this.canvas = canvas;
    this.trace = trace;
    this.colours = colours;
    this.context = canvas.getContext('2d');
    this.frame = null;
    this.trails = null;
    this.selected = -1;
    this.hovered = -1;
    this.follow = false;
    this.fitted = false;
    this.centre = [0, 0];
    this.scale = 1;
    this.resize();
    new ResizeObserver(() => { this.resize(); this.draw(); }).observe(canvas.parentElement);
  }

  resize() {
    const box = this.canvas.parentElement.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.width = Math.max(1, box.width);
    this.height = Math.max(1, box.height);
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (!this.fitted) this.fit();
  }

  /** Shows every cell any unit stood on. */
  fit() {
    const [minX, minY] = this.trace.meta.min;
    const [maxX, maxY] = this.trace.meta.max;
    const spanX = Math.max(1, maxX - minX + 2);
    const spanY = Math.max(1, maxY - minY + 2);
    this.centre = [(minX + maxX) / 2, (minY + maxY) / 2];
    this.scale = Math.min(this.width / spanX, this.height / spanY, 60);
    this.fitted = true;
  }

  toScreen(x, y) {
    return [this.width / 2 + (x - this.centre[0]) * this.scale, this.height / 2 - (y - this.centre[1]) * this.scale];
  }

  toCell(sx, sy) {
    return [this.centre[0] + (sx - this.width / 2) / this.scale, this.centre[1] - (sy - this.height / 2) / this.scale];
  }

  zoom(factor, sx, sy) {
    const [x, y] = this.toCell(sx, sy);
    this.scale = Math.min(200, Math.max(0.01, this.scale * factor));
    // Keep the cell under the pointer where it was.
    this.centre = [x - (sx - this.width / 2) / this.scale, y + (sy - this.height / 2) / this.scale];
  }

  pan(dx, dy) {
    this.centre = [this.centre[0] - dx / this.scale, this.centre[1] + dy / this.scale];
  }

  /** Shows tick `at`. */
  show(at) {
    this.frame = this.trace.frame(at);
    this.trails = [];
    for (let back = 1; back <= TRAIL && at - back >= 0; back++) this.trails.push(this.trace.cells(at - back));
  }

  /** The index in the frame of the unit `u`, or -1. */
  indexOf(u) {
    return this.frame ? this.frame.units.indexOf(u) : -1;
  }

  radius() {
    return Math.min(7, Math.max(1.5, this.scale * 0.38));
  }

  /** The unit drawn nearest the point (sx, sy), within reach of a pointer, or -1. */
  unitAt(sx, sy) {
    if (!this.frame) return -1;
    const reach = Math.max(6, this.radius() + 3);
    let best = -1;
    let bestDistance = reach * reach;
    const { units, xs, ys } = this.frame;
    for (let i = 0; i < units.length; i++) {
      const [px, py] = this.toScreen(xs[i], ys[i]);
      const d = (px - sx) * (px - sx) + (py - sy) * (py - sy);
      // Ties go to the unit drawn last (on top).
      if (d <= bestDistance) {
        bestDistance = d;
        best = units[i];
      }
    }
    return best;
  }

  draw() {
    const c = this.context;
    c.clearRect(0, 0, this.width, this.height);
    if (!this.frame) return;
    if (this.follow && this.selected >= 0) {
      const i = this.indexOf(this.selected);
      if (i >= 0) this.centre = [this.frame.xs[i], this.frame.ys[i]];
    }
    this.drawLines();
    this.drawTrails();
    this.drawUnits();
    this.drawMarkers();
    this.drawHighlight(this.hovered, '#111', 1.5);
    this.drawHighlight(this.selected, '#1f6feb', 2.5);
  }

  /** Grid lines every 1, 10, 100, ... cells: the fewest that keeps them 8 pixels apart. */
  drawLines() {
    const c = this.context;
    let every = 1;
    while (every * this.scale < 8) every *= 10;
    const [x0, y1] = this.toCell(0, 0);
    const [x1, y0] = this.toCell(this.width, this.height);
    c.strokeStyle = '#e1e2da';
    c.lineWidth = 1;
    c.beginPath();
    for (let x = Math.ceil(x0 / every) * every; x <= x1; x += every) {
      const [sx] = this.toScreen(x, 0);
      c.moveTo(Math.round(sx) + 0.5, 0);
      c.lineTo(Math.round(sx) + 0.5, this.height);
    }
    for (let y = Math.ceil(y0 / every) * every; y <= y1; y += every) {
      const [, sy] = this.toScreen(0, y);
      c.moveTo(0, Math.round(sy) + 0.5);
      c.lineTo(this.width, Math.round(sy) + 0.5);
    }
    c.stroke();
  }

  /** Units by colour, so that each colour is one path. */
  byColour() {
    const groups = new Map();
    this.frame.units.forEach((u, i) => {
      const colour = this.colours.unit(u);
      let list = groups.get(colour);
      if (!list) groups.set(colour, (list = []));
      list.push(i);
    });
    return groups;
  }

  drawTrails() {
    const c = this.context;
    c.lineWidth = Math.max(1, this.radius() * 0.6);
    c.lineJoin = 'round';
    c.globalAlpha = 0.35;
    for (const [colour, list] of this.byColour()) {
      c.strokeStyle = colour;
      c.beginPath();
      for (const i of list) {
        const u = this.frame.units[i];
        let [px, py] = this.toScreen(this.frame.xs[i], this.frame.ys[i]);
        c.moveTo(px, py);
        for (const trail of this.trails) {
          if (Number.isNaN(trail.xs[u])) break;
          [px, py] = this.toScreen(trail.xs[u], trail.ys[u]);
          c.lineTo(px, py);
        }
      }
      c.stroke();
    }
    c.globalAlpha = 1;
  }

  drawUnits() {
    const c = this.context;
    const r = this.radius();
    // Small dots are squares: as good to the eye, and far cheaper to draw by the thousand.
    const square = r < 3;
    for (const [colour, list] of this.byColour()) {
      c.fillStyle = colour;
      c.beginPath();
      for (const i of list) {
        const [px, py] = this.toScreen(this.frame.xs[i], this.frame.ys[i]);
        if (square) {
          c.rect(px - r, py - r, 2 * r, 2 * r);
        } else {
          c.moveTo(px + r, py);
          c.arc(px, py, r, 0, 2 * Math.PI);
        }
      }
      c.fill();
    }
  }

  drawMarkers() {
    const c = this.context;
    const trace = this.trace;
    const at = this.frame.at;
    const cell = [0, 0];
    const size = Math.max(5, this.radius() * 1.8);
    let drawn = 0;
    for (let e = trace.eventStart[at]; e < trace.eventStart[at + 1] && drawn < MAX_MARKERS; e++) {
      const marker = MARKERS[trace.kind(e)];
      if (!marker || !trace.lastCell(trace.eventUnit[e], at, cell)) continue;
      const [x, y] = this.toScreen(cell[0], cell[1]);
      drawMarker(c, marker, x, y, size);
      drawn++;
    }
  }

  drawHighlight(u, colour, width) {
    const i = u >= 0 ? this.indexOf(u) : -1;
    if (i < 0) return;
    const c = this.context;
    const [px, py] = this.toScreen(this.frame.xs[i], this.frame.ys[i]);
    c.strokeStyle = colour;
    c.lineWidth = width;
    c.beginPath();
    c.arc(px, py, this.radius() + 4, 0, 2 * Math.PI);
    c.stroke();
  }
}

/** Draws an event marker of kind `marker` centred on (x, y). */
function drawMarker(c, marker, x, y, size) {
  c.lineWidth = 2;
  c.beginPath();
  switch (marker) {
    case 'catch':
      c.fillStyle = '#f2b705';
      c.strokeStyle = '#7a2e00';
      c.moveTo(x, y - size);
      c.lineTo(x + size, y);
      c.lineTo(x, y + size);
      c.lineTo(x - size, y);
      c.closePath();
      c.fill();
      c.stroke();
      return;
    case 'chase':
    case 'lost':
      c.strokeStyle = marker === 'chase' ? '#c2410c' : '#6b7280';
      c.moveTo(x, y - size - 3);
      c.lineTo(x + size, y + size - 1);
      c.lineTo(x - size, y + size - 1);
      c.closePath();
      c.stroke();
      return;
    case 'signal':
      c.strokeStyle = '#7c3aed';
      c.arc(x, y, size + 3, 0, 2 * Math.PI);
      c.stroke();
      return;
    case 'despawn':
      c.strokeStyle = '#111';
      c.moveTo(x - size, y - size);
      c.lineTo(x + size, y + size);
      c.moveTo(x - size, y + size);
      c.lineTo(x + size, y - size);
      c.stroke();
      return;
    default:
      c.strokeStyle = marker === 'warn' ? '#dc2626' : '#0f766e';
      c.rect(x - size, y - size, 2 * size, 2 * size);
      c.stroke();
  }
}
