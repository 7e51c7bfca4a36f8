'use strict';
// The page's controls: play and pause, step, speed, the slider and the tick box, the keys
// (space, ← and →, shift for ten ticks, Home, End, f to follow), pointing and clicking units,
// dragging and zooming the grid. `window.tickweave` lets a script drive the page the same way.

(function main() {
  const started = performance.now();
  const meta = JSON.parse(document.getElementById('tw-meta').textContent);
  const trace = new Trace(meta);
  const colours = new Colours(trace);
  const $ = (id) => document.getElementById(id);
  const grid = new Grid($('grid'), trace, colours);
  const panel = new Panel(trace);
  let at = 0;
  let playing = false;
  let pending = false;

  const timeline = new Timeline($('timeline'), trace, (tick) => goTo(trace.first + tick));
  const events = new EventList(trace, (u) => select(u));

  $('heading').textContent =
    meta.source + (meta.filter ? ' (' + meta.filter + ')' : '') + ' — ' + trace.unitCount + ' units, ticks ' +
    trace.first + ' to ' + trace.last;
  $('slider').max = String(trace.ticks - 1);
  $('tick-input').min = String(trace.first);
  $('tick-input').max = String(trace.last);
  legend();

  function legend() {
    const parts = [];
    if (colours.byTeam) {
      trace.teams.forEach((team, t) => parts.push([colours.teamColours[t], team]));
    }
    const element = $('legend');
    for (const [colour, name] of parts) {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colour;
      element.append(swatch, name);
    }
    element.append(
      (parts.length ? '  ·  ' : '') +
        'markers: ◆ a catch, △ a chase started (grey: lost), ○ a signal, ✕ despawned, □ an ending or a control; ' +
        'drag to move, wheel to zoom.',
    );
  }

  /** The unit the panel shows: the one pointed at, else the one clicked. */
  function shownUnit() {
    return grid.hovered >= 0 ? grid.hovered : grid.selected;
  }

  function render() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      grid.draw();
    });
  }

  /** Goes to tick `tick` (clamped to the trace). */
  function goTo(tick) {
    const next = Math.max(0, Math.min(trace.ticks - 1, Math.round(tick - trace.first)));
    if (Number.isNaN(next)) return;
    at = next;
    grid.show(at);
    timeline.show(at);
    events.show(at);
    panel.show(shownUnit(), at);
    $('slider').value = String(at);
    if (document.activeElement !== $('tick-input')) $('tick-input').value = String(trace.first + at);
    $('tick-of').textContent = 'tick ' + (trace.first + at) + ' of ' + trace.first + '–' + trace.last;
    render();
  }

  function step(ticks) {
    setPlaying(false);
    goTo(trace.first + at + ticks);
  }

  function setPlaying(on) {
    playing = on && trace.ticks > 1;
    $('play').textContent = playing ? '❚❚ Pause' : '▶ Play';
    if (playing) {
      if (at >= trace.ticks - 1) goTo(trace.first);
      let last = performance.now();
      let owed = 0;
      const tickOn = (now) => {
        if (!playing) return;
        owed += ((now - last) / 1000) * Number($('speed').value);
        last = now;
        if (owed >= 1) {
          const ticks = Math.floor(owed);
          owed -= ticks;
          goTo(trace.first + at + ticks);
          if (at >= trace.ticks - 1) {
            setPlaying(false);
            return;
          }
        }
        requestAnimationFrame(tickOn);
      };
      requestAnimationFrame(tickOn);
    }
  }

  function select(u) {
    grid.selected = u;
    panel.show(shownUnit(), at);
    render();
  }

  function setFollow(on) {
    grid.follow = on;
    $('follow').checked = on;
    render();
  }

  // Buttons keep the focus off themselves, so that space always means play or pause.
  for (const id of ['play', 'back', 'forward']) {
    $(id).addEventListener('mousedown', (event) => event.preventDefault());
  }
  $('play').addEventListener('click', () => setPlaying(!playing));
  $('back').addEventListener('click', () => step(-1));
  $('forward').addEventListener('click', () => step(1));
  $('slider').addEventListener('input', () => {
    setPlaying(false);
    goTo(trace.first + Number($('slider').value));
  });
  $('tick-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      setPlaying(false);
      goTo(Number($('tick-input').value));
      $('tick-input').blur();
    }
  });
  $('tick-input').addEventListener('change', () => goTo(Number($('tick-input').value)));
  $('follow').addEventListener('change', () => setFollow($('follow').checked));

  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type !== 'range') return;
    if (target instanceof HTMLSelectElement) return;
    const ten = event.shiftKey ? 10 : 1;
    switch (event.key) {
      case ' ':
        setPlaying(!playing);
        break;
      case 'ArrowRight':
        step(ten);
        break;
      case 'ArrowLeft':
        step(-ten);
        break;
      case 'Home':
        step(-trace.ticks);
        break;
      case 'End':
        step(trace.ticks);
        break;
      case 'f':
        if (grid.selected >= 0) setFollow(!grid.follow);
        break;
      case 'Escape':
        select(-1);
        setFollow(false);
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Pointing, clicking, dragging and zooming on the grid.
  const canvas = $('grid');
  const tooltip = $('tooltip');
  let drag = null;
  const local = (event) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  canvas.addEventListener('pointerdown', (event) => {
    const [x, y] = local(event);
    drag = { x, y, moved: false };
    canvas.setPointerCapture(event.pointerId);
    canvas.focus();
  });
  canvas.addEventListener('pointermove', (event) => {
    const [x, y] = local(event);
    if (drag) {
      if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 3) drag.moved = true;
      if (drag.moved) {
        grid.pan(x - drag.x, y - drag.y);
        drag.x = x;
        drag.y = y;
        if (grid.follow) setFollow(false);
        render();
        return;
      }
    }
    const u = grid.unitAt(x, y);
    if (u !== grid.hovered) {
      grid.hovered = u;
      panel.show(shownUnit(), at);
      render();
    }
    tooltip.hidden = u < 0;
    if (u >= 0) {
      tooltip.textContent = trace.name(u) + ' #' + trace.id(u);
      tooltip.style.left = x + 12 + 'px';
      tooltip.style.top = y + 12 + 'px';
    }
  });
  canvas.addEventListener('pointerup', (event) => {
    const [x, y] = local(event);
    if (drag && !drag.moved) select(grid.unitAt(x, y));
    drag = null;
  });
  canvas.addEventListener('pointerleave', () => {
    tooltip.hidden = true;
    if (grid.hovered >= 0) {
      grid.hovered = -1;
      panel.show(shownUnit(), at);
      render();
    }
  });
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const [x, y] = local(event);
      grid.zoom(Math.exp(-event.deltaY * 0.0015), x, y);
      render();
    },
    { passive: false },
  );

  window.tickweave = {
    trace,
    /** The current tick. */
    tick: () => trace.first + at,
    goTo,
    /** Selects the unit named `name`; false if the trace has none. */
    select: (name) => {
      const u = trace.unitByName.get(name);
      if (u === undefined) return false;
      select(u);
      return true;
    },
    /** Where the centre of cell (x, y) is on the screen, in client (viewport) pixels. */
    clientPoint: (x, y) => {
      const box = canvas.getBoundingClientRect();
      const [sx, sy] = grid.toScreen(x, y);
      return { x: box.left + sx, y: box.top + sy };
    },
  };

  goTo(trace.first);
  requestAnimationFrame(() => {
    // From the start of navigation: reading the file, decoding the data, the first drawing.
    document.body.dataset.loadMs = String(Math.round(performance.now()));
    document.body.dataset.scriptMs = String(Math.round(performance.now() - started));
    document.body.dataset.ready = 'true';
  });
})();
