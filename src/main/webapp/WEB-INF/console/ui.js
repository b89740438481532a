// Small DOM helpers the views share: elements, tables, a time-series chart in SVG, downloads.

/** el('td', {class: 'x'}, 'text', child…): attributes, then text or nodes; never innerHTML. */
export function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
        if (v === false || v === null || v === undefined) {
            continue;
        }
        if (k.startsWith('on')) {
            node.addEventListener(k.substring(2), v);
        } else {
            node.setAttribute(k, v === true ? '' : v);
        }
    }
    for (const child of children.flat()) {
        if (child !== null && child !== undefined) {
            node.append(child instanceof Node ? child : String(child));
        }
    }
    return node;
}

let ids = 0;

/** A labelled form field: label + control, for and id tied together. */
export function field(label, control) {
    control.id = control.id || 'f' + ++ids;
    return el('div', {class: 'field'}, el('label', {for: control.id}, label), control);
}

export function cell(value) {
    if (value === null || value === undefined) {
        return '';
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A table of rows (objects, or arrays with columns), with a caption; onRow(row) makes each row a
 * keyboard-reachable button that opens its details.
 */
export function table(caption, columns, rows, onRow) {
    const head = el('tr', {}, columns.map(c => el('th', {scope: 'col'}, c)));
    const body = rows.map(row => {
        const values = Array.isArray(row) ? row : columns.map(c => row[c]);
        const tr = el('tr', {}, values.map(v => el('td', {}, v instanceof Node ? v : cell(v))));
        if (onRow) {
            tr.tabIndex = 0;
            tr.classList.add('clickable');
            tr.addEventListener('click', () => onRow(row));
            tr.addEventListener('keydown', e => {
                if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onRow(row);
                }
            });
        }
        return tr;
    });
    return el('div', {class: 'scroll'},
        el('table', {}, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, body)));
}

/** All fields of one record as a definition list. */
export function details(title, record) {
    return el('section', {class: 'card details', 'aria-label': title},
        el('h3', {}, title),
        el('dl', {}, Object.entries(record).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, cell(v))])));
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) {
        node.setAttribute(k, v);
    }
    if (text !== undefined) {
        node.textContent = text;
    }
    return node;
}

const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#57606a'];

/**
 * A line chart of series {name: [[time (ms), value]…]} over domain {from, to} (ms; default: the
 * data's span), with axes and a legend; callers show the figures as a table too.
 */
export function chart(title, series, domain = {}) {
    const width = 760, height = 260, left = 56, bottom = 28, top = 10, right = 10;
    const points = Object.values(series).flat();
    const figure = el('figure', {class: 'chart'});
    if (points.length === 0) {
        figure.append(el('p', {}, 'Nothing in this range.'));
        return figure;
    }
    // the time axis spans the range asked for when there is one, else the data's own
    const minX = Number.isFinite(domain.from) ? domain.from : Math.min(...points.map(p => p[0]));
    const maxX = Math.max(Number.isFinite(domain.to) ? domain.to : Math.max(...points.map(p => p[0])), minX + 1);
    const maxY = Math.max(...points.map(p => p[1]), 1);
    const x = t => left + (t - minX) / (maxX - minX) * (width - left - right);
    const y = v => top + (1 - v / maxY) * (height - top - bottom);
    const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title});
    root.append(svg('line', {x1: left, y1: y(0), x2: width - right, y2: y(0), class: 'axis'}));
    root.append(svg('line', {x1: left, y1: top, x2: left, y2: y(0), class: 'axis'}));
    for (const v of [0, maxY / 2, maxY]) {
        root.append(svg('text', {x: left - 6, y: y(v) + 4, 'text-anchor': 'end'}, Number(v.toFixed(1)).toString()));
    }
    [[minX, 'start'], [(minX + maxX) / 2, 'middle'], [maxX, 'end']].forEach(([t, anchor]) => {
        root.append(svg('text', {x: x(t), y: height - 8, 'text-anchor': anchor},
            new Date(t).toISOString().substring(5, 16).replace('T', ' ')));
    });
    const legend = el('ul', {class: 'legend'});
    Object.entries(series).forEach(([name, data], i) => {
        const colour = COLOURS[i % COLOURS.length];
        const sorted = [...data].sort((a, b) => a[0] - b[0]);
        root.append(svg('polyline', {
            points: sorted.map(p => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' '),
            fill: 'none', stroke: colour, 'stroke-width': 2,
        }));
        for (const p of sorted) {
            root.append(svg('circle', {cx: x(p[0]), cy: y(p[1]), r: 3, fill: colour}));
        }
        legend.append(el('li', {}, el('span', {class: 'swatch', 'data-colour': i % COLOURS.length}), name));
    });
    figure.append(el('figcaption', {}, title), root, legend);
    return figure;
}

/** A CSV cell; text that a spreadsheet would run as a formula (= + - @, tab, CR) is prefixed with '. */
export function csvCell(value) {
    let s = cell(value);
    if (/^[=+\-@\t\r]/.test(s)) {
        s = "'" + s;
    }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsv(columns, rows) {
    return [columns, ...rows].map(r => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function toJsonLines(columns, rows) {
    return rows.map(r => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i]])))).join('\n') + '\n';
}

/** Saves text as a file through a temporary link. */
export function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], {type}));
    const link = el('a', {href: url, download: name});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Shows text in the status line (a polite live region), or an error in it. */
export function status(text, error = false) {
    const line = document.getElementById('status');
    line.textContent = text || '';
    line.classList.toggle('error', error);
}
