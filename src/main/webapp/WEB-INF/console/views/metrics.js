// Pulls and pushes over time, per login server and per repository (AzureMetrics rows as charts).
import {call, query} from '../api.js';
import {el, field, chart, table, status} from '../ui.js';
import {bounds, rangeFields} from './logs.js';

const GRAINS = {PT1M: 'Minute', PT1H: 'Hour', P1D: 'Day'};

export async function render(view, params) {
    const state = Object.fromEntries(params);
    state.range = state.range && state.range !== 'all' ? state.range : '1d';
    const form = el('form', {class: 'filters', 'aria-label': 'Metrics'},
        rangeFields(state),
        field('Time grain', el('select', {name: 'timeGrain'},
            Object.entries(GRAINS).map(([k, label]) => el('option', {value: k, selected: (state.timeGrain || 'PT1H') === k}, label)))),
        field('loginServer', el('input', {name: 'loginServer', value: state.loginServer || ''})),
        field('repository', el('input', {name: 'repository', value: state.repository || ''})),
        el('button', {type: 'submit'}, 'Apply'));
    form.addEventListener('submit', e => {
        e.preventDefault();
        const next = new URLSearchParams();
        for (const [k, v] of new FormData(form).entries()) {
            if (v) {
                next.set(k, v);
            }
        }
        location.hash = '#/metrics?' + next;
    });
    const out = el('div', {'aria-live': 'polite'});
    view.replaceChildren(el('h2', {}, 'Metrics'), form, out);
    const {from, to} = bounds(state);
    const common = {from, to: to || new Date().toISOString(), timeGrain: state.timeGrain || 'PT1H',
        loginServer: state.loginServer, repository: state.repository,
        metric: 'SuccessfulPullCount,SuccessfulPushCount'};
    status('Loading…');
    const [servers, repositories] = await Promise.all([
        call('api/metrics' + query(common)),
        call('api/metrics' + query({...common, perRepository: 'true'})),
    ]);
    status('');
    const domain = {from: Date.parse(common.from), to: Date.parse(common.to)};
    out.append(
        chart('Pulls and pushes per login server', seriesOf(servers, r => `${r.MetricName} ${r.LoginServer}`), domain),
        busiest('Pulls and pushes per repository', seriesOf(repositories,
            r => `${r.MetricName} ${r.LoginServer}/${r.Repository}`), domain),
        table(repositories.length > ROWS ? `Per repository: the first ${ROWS} of ${repositories.length} rows (narrow the `
            + 'range or name a repository for the others)' : 'Per repository',
        ['TimeGenerated', 'LoginServer', 'Repository', 'MetricName', 'Total'], repositories.slice(0, ROWS)));
}

const SHOWN = 10;
const ROWS = 500;

/** A chart of the busiest series only: hundreds of lines say nothing (and cost the browser seconds). */
function busiest(title, series, domain) {
    const names = Object.keys(series);
    if (names.length <= SHOWN) {
        return chart(title, series, domain);
    }
    const total = name => series[name].reduce((n, p) => n + p[1], 0);
    const kept = names.sort((a, b) => total(b) - total(a)).slice(0, SHOWN);
    return chart(`${title}: the ${SHOWN} busiest of ${names.length} (the table has all)`,
        Object.fromEntries(kept.map(n => [n, series[n]])), domain);
}

function seriesOf(rows, name) {
    const series = {};
    for (const r of rows) {
        (series[name(r)] = series[name(r)] || []).push([Date.parse(r.TimeGenerated), r.Total]);
    }
    return series;
}
