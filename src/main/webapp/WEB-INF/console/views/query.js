// The Kusto-subset query editor: errors shown at their line and column, the result as a table and,
// for a time series, as a chart; the document's example queries one click away; CSV and JSON Lines.
import {call} from '../api.js';
import {el, field, table, chart, toCsv, toJsonLines, download, status} from '../ui.js';

export const EXAMPLES = {
    'Repository events of the last day': 'ContainerRegistryRepositoryEvents\n| where TimeGenerated > ago(1d)',
    'The 100 latest events of both tables': 'ContainerRegistryRepositoryEvents\n| union ContainerRegistryLoginEvents\n'
        + '| top 100 by TimeGenerated\n| project TimeGenerated, LoginServer, OperationName, Identity, Repository, '
        + 'DurationMs, Region, ResultType',
    'Deletes': 'ContainerRegistryRepositoryEvents\n| where OperationName contains "Delete"\n'
        + '| project LoginServer, OperationName, Repository, Identity, CallerIpAddress',
    'Failed logins': 'ContainerRegistryLoginEvents\n| where ResultDescription != "200"\n'
        + '| project TimeGenerated, Identity, CallerIpAddress, ResultDescription',
    'Pulls per hour (a chart)': 'ContainerRegistryRepositoryEvents\n| where TimeGenerated > ago(7d)\n'
        + '| where OperationName == "Pull"\n| summarize count() by bin(TimeGenerated, 1h), Repository',
};

/** line L, column C: … in a problem's detail, as the query API writes it. */
export function position(detail) {
    const m = /^line (\d+), column (\d+): /.exec(detail || '');
    return m ? {line: Number(m[1]), column: Number(m[2])} : null;
}

/**
 * Series of a time-series result: a datetime column, a numeric column, and any string columns as
 * the split; null when the result is not one.
 */
export function timeSeries(columns, rows) {
    const time = columns.findIndex(c => c.type === 'datetime');
    const value = columns.findIndex(c => ['long', 'int', 'real', 'double', 'decimal'].includes(c.type));
    if (time < 0 || value < 0 || rows.length === 0) {
        return null;
    }
    const split = columns.map((c, i) => i).filter(i => i !== time && i !== value && columns[i].type === 'string');
    const series = {};
    for (const row of rows) {
        const name = split.map(i => row[i]).join(' / ') || columns[value].name;
        (series[name] = series[name] || []).push([Date.parse(row[time]), Number(row[value])]);
    }
    return series;
}

export function render(view, params) {
    const editor = el('textarea', {name: 'query', rows: 8, spellcheck: 'false',
        'aria-describedby': 'query-error'}, params.get('q') || EXAMPLES['Repository events of the last day']);
    const error = el('div', {id: 'query-error', class: 'error', role: 'alert'});
    const output = el('div', {'aria-live': 'polite'});
    const examples = el('ul', {class: 'examples', 'aria-label': 'Example queries'},
        Object.entries(EXAMPLES).map(([name, text]) => el('li', {},
            el('button', {type: 'button', class: 'link', onclick: () => {
                editor.value = text;
                editor.focus();
            }}, name))));
    const form = el('form', {class: 'query'}, field('Query', editor), el('button', {type: 'submit'}, 'Run'));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        history.replaceState(null, '', '#/query?' + new URLSearchParams({q: editor.value}));
        error.replaceChildren();
        output.replaceChildren();
        status('Running the query…');
        try {
            const result = await call('api/query', {method: 'POST', body: {query: editor.value}});
            status('');
            show(output, result.tables[0]);
        } catch (problem) {
            status('');
            showError(editor, error, problem.message);
        }
    });
    view.replaceChildren(el('h2', {}, 'Query'), el('h3', {}, 'Examples'), examples, form, error, output);
    if (params.get('q')) {
        form.requestSubmit();
    }
}

function showError(editor, error, detail) {
    const at = position(detail);
    error.append(el('p', {}, detail));
    if (at) {
        const lines = editor.value.split('\n');
        const line = lines[at.line - 1] || '';
        error.append(el('pre', {class: 'marker', 'aria-hidden': 'true'},
            `${at.line} | ${line}\n${' '.repeat(String(at.line).length)} | ${' '.repeat(Math.max(0, at.column - 1))}^`));
        const offset = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.column - 1;
        editor.focus();
        editor.setSelectionRange(offset, Math.min(offset + 1, editor.value.length));
    }
}

function show(output, result) {
    const names = result.columns.map(c => c.name);
    const series = timeSeries(result.columns, result.rows);
    output.append(
        el('p', {class: 'actions'},
            el('button', {type: 'button', onclick: () => download('query-result.csv', 'text/csv', toCsv(names, result.rows))},
                'Download CSV'), ' ',
            el('button', {type: 'button', onclick: () => download('query-result.jsonl', 'application/x-ndjson',
                toJsonLines(names, result.rows))}, 'Download JSON Lines')),
        series ? chart('Query result over time', series) : '',
        table(`${result.rows.length} rows`, names, result.rows));
}
