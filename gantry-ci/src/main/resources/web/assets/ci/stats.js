/* CI statistics: draws the trend charts from GET /api/ci/stats/trends with uPlot.
 * Each <div class="ci-chart" data-chart="timeToMerge"> gets the chart of that name; days are
 * cut in the viewer's time zone. The section gets data-drawn="N" once N charts are drawn. */
(function () {
  'use strict';

  var COLOURS = ['#1f6feb', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#0a7ea4', '#bf3989', '#57606a',
    '#e16f24', '#116329', '#0550ae', '#6e7781'];

  function duration(s) {
    if (s == null) return '';
    if (s < 90) return Math.round(s) + ' s';
    if (s < 5400) return +(s / 60).toFixed(1) + ' min';
    return +(s / 3600).toFixed(1) + ' h';
  }

  // tick steps a reader expects for durations: seconds, then whole minutes, then hours
  var DURATION_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800];

  function formatter(unit) {
    if (unit === 's') return duration;
    if (unit === '%') return function (v) { return v == null ? '' : v.toFixed(1) + ' %'; };
    if (unit === 'h') return function (v) { return v == null ? '' : v.toFixed(1) + ' h'; };
    return function (v) { return v == null ? '' : String(v); };
  }

  function draw(el, days, chart) {
    var fmt = formatter(chart.unit);
    var plot = el.querySelector('.plot');
    var empty = chart.lines.every(function (l) { return l.values.every(function (v) { return v == null; }); });
    if (empty) {
      el.querySelector('.ci-chart-note').textContent = 'No data in this span.';
    }
    var series = [{}].concat(chart.lines.map(function (l, i) {
      return {
        label: l.label, stroke: COLOURS[i % COLOURS.length], width: 2,
        points: { show: true, size: 5 }, spanGaps: false,
        value: function (u, v) { return fmt(v); }
      };
    }));
    var opts = {
      width: Math.max(300, plot.clientWidth || 560), height: 240, series: series,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{}, {
        size: 70, values: function (u, ticks) { return ticks.map(fmt); },
        incrs: chart.unit === 's' ? DURATION_STEPS : undefined
      }]
    };
    var data = [days].concat(chart.lines.map(function (l) { return l.values; }));
    return new uPlot(opts, data, plot);
  }

  function start() {
    var section = document.getElementById('ci-charts');
    if (!section) return;
    var status = document.getElementById('ci-charts-status');
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    var url = '/api/ci/stats/trends?days=' + encodeURIComponent(section.dataset.days) + '&tz=' + encodeURIComponent(tz);
    fetch(url, { headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
          return body;
        });
      })
      .then(function (t) {
        var plots = [];
        section.querySelectorAll('.ci-chart').forEach(function (el) {
          var chart = t[el.dataset.chart];
          if (chart) {
            plots.push(draw(el, t.days, chart));
          }
        });
        var drawn = plots.length;
        // the grid's columns change with the window; the charts follow
        var pending;
        window.addEventListener('resize', function () {
          clearTimeout(pending);
          pending = setTimeout(function () {
            plots.forEach(function (u) {
              u.setSize({ width: Math.max(300, u.root.parentNode.clientWidth), height: 240 });
            });
          }, 150);
        });
        status.textContent = 'Days in ' + t.zone + '.';
        section.dataset.drawn = String(drawn);
      })
      .catch(function (e) {
        status.textContent = 'The charts could not be loaded: ' + e.message;
        status.className = 'ci-error';
      });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
