// The charts of the insights element, drawn by Chart.js (npm chart.js, MIT; bundled into
// grove-insights.js at build time with only the parts used here, so tree-shaking keeps it small).
// Chart.js was chosen over hand-written drawing, and over uPlot, because it is the most used and
// maintained charting library, draws categorical bar charts as well as time lines, needs no
// stylesheet (a page's style-src needs nothing: it styles its canvas through the CSSOM), and
// follows devicePixelRatio and the container's size by itself.
//
// Canvases are images to assistive technology: each chart gets role="img" with a summary as its
// name, and the insights element puts the same numbers in a table next to it.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

// Colours with at least 3:1 contrast on white (light pages) or on #15181c (dark pages), told
// apart without colour too: each line has its own dash and point shape.
const PALETTES = {
  light: { posts: '#0a66c2', contributors: '#b35c00', endorsements: '#1a7f37', kept: '#1a7f37', partly: '#b35c00', open: '#6e7781' },
  dark: { posts: '#6cb6ff', contributors: '#f0a35e', endorsements: '#56d364', kept: '#56d364', partly: '#f0a35e', open: '#9da7b3' },
};

// The chart's text follows the element's own font and colour; its palette, the lightness of
// that colour (light text means a dark page).
function look(el) {
  const cs = getComputedStyle(el);
  const rgb = (cs.color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
  const lightText = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 140;
  return {
    colour: cs.color,
    grid: 'rgba(127,127,127,0.25)',
    font: { family: cs.fontFamily, size: Math.max(11, Math.round(parseFloat(cs.fontSize) * 0.8) || 12) },
    palette: PALETTES[lightText ? 'dark' : 'light'],
  };
}

function base(el, l) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    color: l.colour,
    font: l.font,
    plugins: {
      legend: { position: 'bottom', labels: { color: l.colour, font: l.font, usePointStyle: true, boxHeight: 8 } },
      tooltip: { mode: 'index', intersect: false },
    },
    interaction: { mode: 'index', intersect: false },
  };
}

// Posts, contributors and endorsements per day: {labels, posts, contributors, endorsements}.
export function activityChart(canvas, data) {
  const l = look(canvas.parentElement);
  const line = (label, values, colour, dash, point) => ({
    label, data: values, borderColor: colour, backgroundColor: colour, borderDash: dash, pointStyle: point,
    pointRadius: 3, pointHoverRadius: 5, borderWidth: 2, tension: 0.2,
  });
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: data.labels,
      datasets: [
        line('Posts', data.posts, l.palette.posts, [], 'circle'),
        line('Contributors', data.contributors, l.palette.contributors, [6, 4], 'triangle'),
        line('Endorsements', data.endorsements, l.palette.endorsements, [2, 3], 'rect'),
      ],
    },
    options: {
      ...base(canvas, l),
      scales: {
        x: { ticks: { color: l.colour, font: l.font, maxRotation: 0, autoSkipPadding: 12 }, grid: { color: l.grid } },
        y: { beginAtZero: true, ticks: { color: l.colour, font: l.font, precision: 0 }, grid: { color: l.grid } },
      },
    },
  });
  return {
    chart,
    update(next) {
      chart.data.labels = next.labels;
      chart.data.datasets[0].data = next.posts;
      chart.data.datasets[1].data = next.contributors;
      chart.data.datasets[2].data = next.endorsements;
      chart.update();
    },
  };
}

// Commitments per module, stacked: kept, partly kept, not (yet) kept. {labels, kept, partly, open}.
export function commitmentsChart(canvas, data) {
  const l = look(canvas.parentElement);
  const bar = (label, values, colour) => ({ label, data: values, backgroundColor: colour, borderColor: colour, borderWidth: 1, maxBarThickness: 28 });
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [bar('Kept', data.kept, l.palette.kept), bar('Partly kept', data.partly, l.palette.partly), bar('Not yet', data.open, l.palette.open)],
    },
    options: {
      ...base(canvas, l),
      indexAxis: 'y',
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { color: l.colour, font: l.font, precision: 0 }, grid: { color: l.grid } },
        y: { stacked: true, ticks: { color: l.colour, font: l.font }, grid: { display: false } },
      },
    },
  });
  return {
    chart,
    update(next) {
      chart.data.labels = next.labels;
      chart.data.datasets[0].data = next.kept;
      chart.data.datasets[1].data = next.partly;
      chart.data.datasets[2].data = next.open;
      chart.update();
    },
  };
}
