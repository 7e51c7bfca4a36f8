'use strict';
// The list of the current tick's events, as `tickweave inspect` prints them, filtered by unit
// (its own events and those naming it, as `inspect --unit` shows) and by kind. Clicking an
// event selects its unit.

const LISTED_EVENTS = 300;

class EventList {
  constructor(trace, onPick) {
    this.trace = trace;
    this.list = document.getElementById('event-list');
    this.more = document.getElementById('event-more');
    this.unitInput = document.getElementById('event-unit');
    this.kindSelect = document.getElementById('event-kind');
    this.at = 0;
    for (const kind of [...trace.kinds].sort()) {
      const option = document.createElement('option');
      option.value = kind;
      option.textContent = kind;
      this.kindSelect.append(option);
    }
    this.unitInput.addEventListener('input', () => this.show(this.at));
    this.kindSelect.addEventListener('change', () => this.show(this.at));
    this.list.addEventListener('click', (event) => {
      const item = event.target.closest('li');
      if (item) onPick(Number(item.dataset.unit));
    });
  }

  /** The units the filter names: one, if a name is given exactly; else those it is part of. */
  filterUnits() {
    const text = this.unitInput.value.trim();
    if (text === '') return null;
    const exact = this.trace.unitByName.get(text);
    if (exact !== undefined) return (u) => u === exact;
    const lower = text.toLowerCase();
    return (u) => u >= 0 && this.trace.name(u).toLowerCase().includes(lower);
  }

  show(at) {
    this.at = at;
    const trace = this.trace;
    const units = this.filterUnits();
    const kind = this.kindSelect.value;
    const items = [];
    let matching = 0;
    for (let e = trace.eventStart[at]; e < trace.eventStart[at + 1]; e++) {
      if (kind !== '' && trace.kind(e) !== kind) continue;
      if (units !== null && !units(trace.eventUnit[e]) && !units(trace.eventOther[e])) continue;
      matching++;
      if (items.length >= LISTED_EVENTS) continue;
      const item = document.createElement('li');
      item.dataset.unit = String(trace.eventUnit[e]);
      item.dataset.kind = trace.kind(e);
      item.textContent = trace.eventLine(e);
      items.push(item);
    }
    this.list.replaceChildren(...items);
    const total = trace.eventCount(at);
    if (matching > items.length) {
      this.more.textContent = '… and ' + (matching - items.length) + ' more';
    } else if (total === 0) {
      this.more.textContent = 'No event at this tick.';
    } else if (matching === 0) {
      this.more.textContent = 'None of the ' + total + ' events matches.';
    } else {
      this.more.textContent = '';
    }
  }
}
