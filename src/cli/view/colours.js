'use strict';
// Colours: a unit is drawn in its team's colour (the same families as the SVG picture: blues,
// reds, greens, ...); when no unit has a team, each unit gets its own hue.

const TEAM_HUES = [215, 8, 135, 280, 42, 180, 325, 95];

class Colours {
  constructor(trace) {
    this.byTeam = trace.teams.length > 0;
    this.teamColours = trace.teams.map((_, t) => 'hsl(' + TEAM_HUES[t % TEAM_HUES.length] + ',70%,45%)');
    this.none = 'hsl(0,0%,45%)';
    this.units = new Array(trace.unitCount);
    for (let u = 0; u < trace.unitCount; u++) {
      if (this.byTeam) {
        const team = trace.team(u);
        this.units[u] = team < 0 ? this.none : this.teamColours[team];
      } else {
        this.units[u] = 'hsl(' + ((u * 137.507764) % 360).toFixed(1) + ',70%,42%)';
      }
    }
  }

  unit(u) { return this.units[u]; }
}
