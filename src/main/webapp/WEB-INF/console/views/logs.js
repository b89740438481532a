// Repository and login events: a time range, every filter the API has, a column chooser, keyset
// paging, a live mode that adds new events as they are stored, and the whole state in the URL so
// that a view can be shared.
import {call, follow, query} from '../api.js';
import {el, field, table, details, status} from '../ui.js';

const KINDS = {
    repository: {
        title: 'Repository events',
        path: 'api/repository-events',
        tail: 'api/stream/repository-events',
        tailFilters: ['loginServer', 'repository', 'operation', 'identity', 'result'],
        filters: ['loginServer', 'repository', 'operation', 'identity', 'result', 'tag', 'digest'],
        columns: ['EventId', 'TimeGenerated', 'ReceivedAt', 'LoginServer', 'OperationName', 'Repository', 'Tag',
            'Digest', 'MediaType', 'ArtifactType', 'Size', 'FromRepository', 'Identity', 'ResultType',
            'ResultDescription', 'CallerIpAddress', 'UserAgent', 'HttpMethod', 'DurationMs', 'CorrelationId',
            'Region', 'Category'],
        shown: ['TimeGenerated', 'LoginServer', 'OperationName', 'Repository', 'Tag', 'Identity', 'ResultType',
            'CallerIpAddress'],
    },
    login: {
        title: 'Login events',
        path: 'api/login-events',
        tail: 'api/stream/login-events',
        tailFilters: ['loginServer', 'operation', 'identity', 'result'],
        filters: ['loginServer', 'operation', 'identity', 'result'],
        columns: ['EventId', 'TimeGenerated', 'ReceivedAt', 'LoginServer', 'OperationName', 'Identity', 'JwtId',
            'ResultType', 'ResultDescription', 'CallerIpAddress', 'UserAgent', 'DurationMs', 'CorrelationId',
            'Region', 'Category'],
        shown: ['TimeGenerated', 'LoginServer', 'OperationName', 'Identity', 'ResultType', 'ResultDescription',
            'CallerIpAddress'],
    },
};

export const RANGES = {'1h': ['Last hour', 3600e3], '1d': ['Last day', 86400e3], '7d': ['Last week', 7 * 86400e3],
    'all': ['All time', null], 'custom': ['Custom', null]};

/** from/to of a range choice, as the API takes them (ISO instants); custom uses the from/to given. */
export function bounds(state) {
    if (state.range === 'custom') {
        return {from: state.from ? new Date(state.from).toISOString() : '', to: state.to ? new Date(state.to).toISOString() : ''};
    }
    const span = (RANGES[state.range] || RANGES['1d'])[1];
    return span ? {from: new Date(Date.now() - span).toISOString(), to: ''} : {from: '', to: ''};
}

export function rangeFields(state, onChange) {
    const range = el('select', {name: 'range'},
        Object.entries(RANGES).map(([k, [label]]) => el('option', {value: k, selected: (state.range || '1d') === k}, label)));
    const from = el('input', {type: 'datetime-local', name: 'from', value: state.from || ''});
    const to = el('input', {type: 'datetime-local', name: 'to', value: state.to || ''});
    const custom = el('span', {class: 'custom', hidden: range.value !== 'custom'}, field('From', from), field('To', to));
    range.addEventListener('change', () => {
        custom.hidden = range.value !== 'custom';
        onChange && onChange();
    });
    return [field('Time range', range), custom];
}

/** Rows kept on the page in live mode. */
const LIVE_ROWS = 500;

/** The live tail of the view on screen; any other view, or a sign-out, ends it (app.js sends 'view-changed'). */
let live = null;
window.addEventListener('view-changed', () => {
    live?.abort();
    live = null;
});

export async function render(view, kindName, params) {
    const kind = KINDS[kindName];
    const state = Object.fromEntries(params);
    const shown = state.cols ? state.cols.split(',').filter(c => kind.columns.includes(c)) : kind.shown;
    const form = el('form', {class: 'filters', 'aria-label': 'Filters'},
        rangeFields(state),
        kind.filters.map(f => field(f, el('input', {name: f, value: state[f] || ''}))),
        field('Rows per page', el('select', {name: 'limit'},
            ['25', '50', '100', '200'].map(n => el('option', {selected: (state.limit || '50') === n}, n)))),
        el('details', {class: 'columns'}, el('summary', {}, 'Columns'),
            el('fieldset', {}, el('legend', {}, 'Columns shown'),
                kind.columns.map(c => el('label', {class: 'check'},
                    el('input', {type: 'checkbox', name: 'col', value: c, checked: shown.includes(c)}), c)))),
        el('button', {type: 'submit'}, 'Apply'));
    form.addEventListener('submit', e => {
        e.preventDefault();
        const data = new FormData(form);
        const next = new URLSearchParams();
        for (const [k, v] of data.entries()) {
            if (k === 'col' || !v || ((k === 'from' || k === 'to') && data.get('range') !== 'custom')) {
                continue;
            }
            next.set(k, v);
        }
        next.set('cols', data.getAll('col').join(','));
        location.hash = `#/logs/${kindName}?${next}`;
    });
    const results = el('div', {'aria-live': 'polite'});
    const record = el('div');
    view.replaceChildren(el('h2', {}, kind.title), form, results, record);

    const {from, to} = bounds(state);
    const filters = Object.fromEntries(kind.filters.map(f => [f, state[f]]));
    status('Loading…');
    const page = await call(kind.path + query({...filters, from, to, cursor: state.cursor, limit: state.limit || 50}));
    status('');
    const trail = state.trail ? state.trail.split(' ') : [];
    const move = (cursor, nextTrail) => {
        const p = new URLSearchParams(params);
        cursor ? p.set('cursor', cursor) : p.delete('cursor');
        nextTrail.length ? p.set('trail', nextTrail.join(' ')) : p.delete('trail');
        location.hash = `#/logs/${kindName}?${p}`;
    };
    const newer = el('button', {type: 'button', disabled: !state.cursor || state.live}, '← Newer');
    newer.addEventListener('click', () => {
        const previous = trail.slice(0, -1);
        move(trail[trail.length - 1] === '-' ? '' : trail[trail.length - 1], previous);
    });
    const older = el('button', {type: 'button', disabled: !page.next || state.live}, 'Older →');
    older.addEventListener('click', () => move(page.next, [...trail, state.cursor || '-']));
    const liveButton = el('button', {type: 'button', 'aria-pressed': state.live ? 'true' : 'false'},
        state.live ? 'Stop live' : 'Live');
    liveButton.addEventListener('click', () => {
        const p = new URLSearchParams(params);
        p.delete('cursor');
        p.delete('trail');
        state.live ? p.delete('live') : p.set('live', '1');
        location.hash = `#/logs/${kindName}?${p}`;
    });
    const liveState = el('span', {class: 'live-state', role: 'status'});
    const rows = [...page.items];
    const open = row => {
        record.replaceChildren(details(`${row.OperationName} ${row.EventId}`, row));
        record.focus();
    };
    const draw = () => results.replaceChildren(
        table(state.live
            ? `${kind.title}: live, the newest ${rows.length} first`
            : `${kind.title}: ${rows.length} on this page, newest first`, shown, rows, open),
        el('p', {class: 'pager'}, newer, ' ', older, ' ', liveButton, ' ', liveState));
    draw();
    record.tabIndex = -1;
    if (state.live) {
        const seen = new Set(rows.map(r => r.EventId));
        // filters the tail does not take (tag, digest) are applied here
        const local = kind.filters.filter(f => !kind.tailFilters.includes(f) && state[f]);
        let pending = false;
        live = new AbortController();
        follow(kind.tail + query(Object.fromEntries(kind.tailFilters.map(f => [f, state[f]]))), event => {
            if (seen.has(event.EventId) || local.some(f => String(event[f[0].toUpperCase() + f.substring(1)]) !== state[f])) {
                return;
            }
            seen.add(event.EventId);
            rows.unshift(event);
            rows.length = Math.min(rows.length, LIVE_ROWS);
            if (!pending) { // one redraw per frame, however many events came
                pending = true;
                requestAnimationFrame(() => {
                    pending = false;
                    draw();
                });
            }
        }, live.signal, (text, error) => {
            liveState.textContent = text;
            liveState.classList.toggle('error', !!error);
        });
    }
}
