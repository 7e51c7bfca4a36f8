'use strict';
// The strip under the grid: per tick, how many units the trace lists (the grey area) and how
// many events happened (the bars), with the current tick marked. Click or drag to go there.

class Timeline {
  constructor(canvas, trace, onSeek) {
    this.canvas = canvas;
    this.trace = trace;
    this.context = canvas.getContext('2d');
    this.at = 0;
    let maxUnits = 1;
    let maxEvents = 1;
    for (let at = 0; at < trace.ticks; at++) {
      maxUnits = Math.max(maxUnits, trace.tickUnits[at]);
      maxEvents = Math.max(maxEvents, trace.eventCount(at));
    }
    this.maxUnits = maxUnits;
    this.maxEvents = maxEvents;
    let dragging = false;
    const seek = (event) => {
      const box = canvas.getBoundingClientRect();
      onSeek(Math.round(((event.clientX - box.left) / box.width) * (trace.ticks - 1)));
    };
    canvas.addEventListener('pointerdown', (event) => {
      dragging = true;
      canvas.setPointerCapture(event.pointerId);
      seek(event);
    });
    canvas.addEventListener('pointermove', (event) => { if (dragging) seek(event); });
    canvas.addEventListener('pointerup', () => { dragging = false; });
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
    this.background = null;
  }

  x(at) {
    return this.trace.ticks <= 1 ? this.width / 2 : (at / (this.trace.ticks - 1)) * (this.width - 1) + 0.5;
  }

  /** The counts, drawn once per size: a column of pixels shows the most of its ticks. */
  drawCounts() {
    const ratio = window.devicePixelRatio || 1;
    const background = document.createElement('canvas');
    background.width = this.canvas.width;
    background.height = this.canvas.height;
    const c = background.getContext('2d');
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    const trace = this.trace;
    const columns = Math.max(1, Math.floor(this.width));
    const units = new Float64Array(columns);
    const events = new Float64Array(columns);
    const has = new Uint8Array(columns);
    for (let at = 0; at < trace.ticks; at++) {
      const col = Math.min(columns - 1, Math.floor(this.x(at)));
      units[col] = Math.max(units[col], trace.tickUnits[at]);
      events[col] = Math.max(events[col], trace.eventCount(at));
      has[col] = 1;
    }
    // Fewer ticks than columns: a tick's counts stand until the next tick's.
    for (let col = 1; col < columns; col++) {
      if (!has[col]) units[col] = units[col - 1];
    }
    const barWidth = Math.max(1, Math.floor(this.width / trace.ticks));
    const h = this.height - 14;
    c.fillStyle = '#dfe3e8';
    c.beginPath();
    c.moveTo(0, h);
    for (let col = 0; col < columns; col++) c.lineTo(col + 0.5, h - (units[col] / this.maxUnits) * (h - 4));
    c.lineTo(columns, h);
    c.closePath();
    c.fill();
    c.fillStyle = '#c2410c';
    for (let col = 0; col < columns; col++) {
      const bar = (events[col] / this.maxEvents) * (h - 4);
      if (events[col] > 0) c.fillRect(col, h - bar, barWidth, bar);
    }
    c.fillStyle = '#5f6670';
    c.font = '11px system-ui, sans-serif';
    c.fillText('units (up to ' + this.maxUnits + ')  ·  events (up to ' + this.maxEvents + ' a tick)', 4, this.height - 3);
    this.background = background;
  }

  show(at) {
    this.at = at;
    this.draw();
  }

  draw() {
    const c = this.context;
    if (this.background === null) this.drawCounts();
    c.clearRect(0, 0, this.width, this.height);
    c.drawImage(this.background, 0, 0, this.width, this.height);
    const x = this.x(this.at);
    c.strokeStyle = '#1f6feb';
    c.lineWidth = 2;
    c.beginPath();
    c.moveTo(x, 0);
    c.lineTo(x, this.height - 14);
    c.stroke();
  }
}
