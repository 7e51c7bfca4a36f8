'use strict';
// The unit panel: the unit pointed at (or, when none is, the one clicked) at the current tick —
// its name, id, team, cell, state and activity stack, exactly as `tickweave inspect` prints
// them, and its latest events.

const UNIT_EVENTS = 12;

class Panel {
  constructor(trace) {
    this.trace = trace;
    this.element = (id) => document.getElementById(id);
  }

  /** Shows unit `u` (or nothing, for -1) at tick `at`. */
  show(u, at) {
    const trace = this.trace;
    const shown = u >= 0;
    this.element('unit-hint').hidden = shown;
    this.element('unit-facts').hidden = !shown;
    this.element('follow-box').hidden = !shown;
    this.element('unit-events-heading').hidden = !shown;
    const list = this.element('unit-events');
    list.replaceChildren();
    if (!shown) return;
    const cell = [0, 0];
    const present = trace.present(u, at);
    this.element('unit-name').textContent = trace.name(u);
    this.element('unit-id').textContent = '#' + trace.id(u);
    this.element('unit-team').textContent = trace.teamName(u) || '-';
    this.element('unit-cell').textContent =
      present && trace.cell(u, at, cell) ? '(' + cell[0] + ',' + cell[1] + ')' : 'not in the trace at this tick';
    this.element('unit-state').textContent = trace.state(u, at);
    this.element('unit-activity').textContent = trace.activity(u, at);
    for (const e of trace.unitEvents(u, at, UNIT_EVENTS)) {
      const item = document.createElement('li');
      const tick = document.createElement('span');
      tick.className = 'tick';
      tick.textContent = String(trace.first + trace.eventTick[e]);
      item.append(tick, trace.eventLine(e));
      list.append(item);
    }
  }
}
