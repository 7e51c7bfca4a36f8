'use strict';
// The trace as the page holds it: the columns `tickweave view` packed, and lookups of a unit's
// cell, state and activity at any tick. Ticks are counted from the trace's first ("at").

/** Decodes the base64 column in the element `tw-NAME` into a typed array of `Type`. */
function readColumn(name, Type) {
  const text = document.getElementById('tw-' + name).textContent.trim();
  let bytes;
  if (typeof Uint8Array.fromBase64 === 'function') {
    bytes = Uint8Array.fromBase64(text);
  } else {
    const binary = atob(text);
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  }
  return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
}

/** The last index in [lo, hi) whose value in `ticks` is at most `at`, or -1. */
function lastAtOrBefore(ticks, lo, hi, at) {
  let found = -1;
  let a = lo;
  let b = hi - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    if (ticks[m] <= at) {
      found = m;
      a = m + 1;
    } else {
      b = m - 1;
    }
  }
  return found;
}

class Trace {
  constructor(meta) {
    this.meta = meta;
    this.first = meta.first;
    this.last = meta.last;
    this.ticks = meta.last - meta.first + 1;
    this.strings = meta.strings;
    this.kinds = meta.kinds;
    this.teams = meta.teams;
    this.unitCount = meta.unitIds.length;
    this.segStart = readColumn('seg-start', Uint32Array);
    this.segTick = readColumn('seg-tick', Uint32Array);
    this.segX = readColumn('seg-x', Int32Array);
    this.segY = readColumn('seg-y', Int32Array);
    this.segStep = readColumn('seg-step', Uint8Array);
    this.runStart = readColumn('run-start', Uint32Array);
    this.runTick = readColumn('run-tick', Uint32Array);
    this.runState = readColumn('run-state', Uint8Array);
    this.runText = readColumn('run-text', Uint32Array);
    this.tickUnits = readColumn('tick-units', Uint32Array);
    this.eventStart = readColumn('event-start', Uint32Array);
    this.eventUnit = readColumn('event-unit', Uint32Array);
    this.eventKind = readColumn('event-kind', Uint16Array);
    this.eventOther = readColumn('event-other', Int32Array);
    this.eventX = readColumn('event-x', Int32Array);
    this.eventY = readColumn('event-y', Int32Array);
    this.eventText = readColumn('event-text', Uint32Array);
    this.eventTick = new Uint32Array(this.eventUnit.length);
    for (let at = 0; at < this.ticks; at++) {
      this.eventTick.fill(at, this.eventStart[at], this.eventStart[at + 1]);
    }
    // The span of ticks each unit is listed in, to skip it quickly elsewhere.
    this.firstAt = new Int32Array(this.unitCount);
    this.lastAt = new Int32Array(this.unitCount);
    for (let u = 0; u < this.unitCount; u++) {
      const lo = this.runStart[u];
      const hi = this.runStart[u + 1];
      this.firstAt[u] = hi > lo ? this.runTick[lo] : this.ticks;
      this.lastAt[u] = hi > lo && this.runState[hi - 1] === 0 ? this.runTick[hi - 1] - 1 : this.ticks - 1;
    }
    this.unitByName = new Map();
    for (let u = 0; u < this.unitCount; u++) this.unitByName.set(this.name(u), u);
    this.eventsByUnit = null;
    this.cellCache = new Map();
  }

  name(u) { return this.strings[this.meta.unitNames[u]]; }
  id(u) { return this.meta.unitIds[u]; }
  team(u) { return this.meta.unitTeams[u]; }
  teamName(u) { const t = this.team(u); return t < 0 ? '' : this.teams[t]; }

  /** The run of unit `u` at tick `at`, or -1 before its first. */
  runAt(u, at) {
    if (at < this.firstAt[u]) return -1;
    return lastAtOrBefore(this.runTick, this.runStart[u], this.runStart[u + 1], at);
  }

  /** Whether unit `u` is listed at tick `at`. */
  present(u, at) {
    if (at < this.firstAt[u] || at > this.lastAt[u]) return false;
    const run = this.runAt(u, at);
    return run >= 0 && this.runState[run] !== 0;
  }

  state(u, at) {
    const run = this.runAt(u, at);
    return this.meta.stateNames[run < 0 ? 0 : this.runState[run]];
  }

  /** What unit `u` is doing at `at`, exactly as `tickweave inspect` prints it. */
  activity(u, at) {
    const run = this.runAt(u, at);
    return run < 0 || this.runState[run] === 0 ? '' : this.strings[this.runText[run]];
  }

  /** Writes unit `u`'s cell at `at` into `out` (x, y); false if it has none there. */
  cell(u, at, out) {
    const s = lastAtOrBefore(this.segTick, this.segStart[u], this.segStart[u + 1], at);
    if (s < 0) return false;
    const dt = at - this.segTick[s];
    const step = this.segStep[s];
    out[0] = this.segX[s] + ((step % 3) - 1) * dt;
    out[1] = this.segY[s] + (Math.floor(step / 3) - 1) * dt;
    return true;
  }

  /** Where unit `u` last stood at or before `at` (for a unit just despawned: where it was). */
  lastCell(u, at, out) {
    return this.cell(u, Math.min(at, this.lastAt[u]), out);
  }

  /**
   * Every unit's cell at `at`, by unit: x and y (NaN for a unit not listed then). The last few
   * ticks asked for are kept, so that playing on computes one tick a frame.
   */
  cells(at) {
    const cached = this.cellCache.get(at);
    if (cached) return cached;
    const xs = new Float64Array(this.unitCount).fill(NaN);
    const ys = new Float64Array(this.unitCount).fill(NaN);
    const cell = [0, 0];
    for (let u = 0; u < this.unitCount; u++) {
      if (!this.present(u, at) || !this.cell(u, at, cell)) continue;
      xs[u] = cell[0];
      ys[u] = cell[1];
    }
    const cells = { xs, ys };
    this.cellCache.set(at, cells);
    if (this.cellCache.size > 16) this.cellCache.delete(this.cellCache.keys().next().value);
    return cells;
  }

  /** The units listed at `at` and their cells. */
  frame(at) {
    const { xs, ys } = this.cells(at);
    const units = [];
    for (let u = 0; u < this.unitCount; u++) if (!Number.isNaN(xs[u])) units.push(u);
    const frame = { at, units: Int32Array.from(units), xs: new Float64Array(units.length), ys: new Float64Array(units.length) };
    units.forEach((u, i) => {
      frame.xs[i] = xs[u];
      frame.ys[i] = ys[u];
    });
    return frame;
  }

  eventCount(at) { return this.eventStart[at + 1] - this.eventStart[at]; }

  /** An event's line, as `tickweave inspect` prints it. */
  eventLine(e) {
    const text = this.strings[this.eventText[e]];
    if (this.eventX[e] === this.meta.noCell) return text;
    return text.replace(this.meta.placeholder, '(' + this.eventX[e] + ',' + this.eventY[e] + ')');
  }

  kind(e) { return this.kinds[this.eventKind[e]]; }

  /** Whether event `e` is unit `u`'s own or names it. */
  concerns(e, u) { return this.eventUnit[e] === u || this.eventOther[e] === u; }

  /** The events of unit `u` (its own and those naming it) at or before `at`, newest last. */
  unitEvents(u, at, most) {
    if (this.eventsByUnit === null) this.indexEvents();
    const lo = this.eventsByUnitStart[u];
    const hi = this.eventsByUnitStart[u + 1];
    let end = lo;
    while (end < hi && this.eventTick[this.eventsByUnit[end]] <= at) end++;
    return Array.from(this.eventsByUnit.subarray(Math.max(lo, end - most), end));
  }

  indexEvents() {
    const counts = new Uint32Array(this.unitCount + 1);
    const events = this.eventUnit.length;
    for (let e = 0; e < events; e++) {
      counts[this.eventUnit[e] + 1]++;
      const other = this.eventOther[e];
      if (other >= 0 && other !== this.eventUnit[e]) counts[other + 1]++;
    }
    for (let u = 0; u < this.unitCount; u++) counts[u + 1] += counts[u];
    const filled = counts.slice(0, this.unitCount);
    const byUnit = new Uint32Array(counts[this.unitCount]);
    for (let e = 0; e < events; e++) {
      byUnit[filled[this.eventUnit[e]]++] = e;
      const other = this.eventOther[e];
      if (other >= 0 && other !== this.eventUnit[e]) byUnit[filled[other]++] = e;
    }
    this.eventsByUnitStart = counts;
    this.eventsByUnit = byUnit;
  }
}
