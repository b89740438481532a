// The Notary changefeed, global or of one GUN, paging both ways (change_id and records as the
// DTR document defines them; change_id 1 is "the most recent").
import {call, query} from '../api.js';
import {el, field, table, status} from '../ui.js';

const PAGE = 50;

export async function render(view, params) {
    const gun = params.get('gun') || '';
    const changeId = params.get('change_id') || '1';
    const records = params.get('records') || String(-PAGE);
    const form = el('form', {class: 'filters', 'aria-label': 'Changefeed'},
        field('GUN (empty: every repository you may pull)', el('input', {name: 'gun', value: gun,
            placeholder: 'registry.example.com/team/app'})),
        el('button', {type: 'submit'}, 'Show'));
    form.addEventListener('submit', e => {
        e.preventDefault();
        const g = new FormData(form).get('gun');
        location.hash = '#/trust' + query({gun: g});
    });
    const out = el('div', {'aria-live': 'polite'});
    view.replaceChildren(el('h2', {}, 'Trust changes'), form, out);
    const path = (gun ? `v2/${gun.split('/').map(encodeURIComponent).join('/')}/` : 'v2/') + '_trust/changefeed';
    status('Loading…');
    const page = await call(path + query({change_id: changeId, records}));
    status('');
    const go = (id, n) => {
        location.hash = '#/trust' + query({gun, change_id: id, records: n});
    };
    const first = page.records[0];
    const last = page.records[page.records.length - 1];
    out.append(
        table(`${page.count} changes, oldest first`, ['ID', 'CreatedAt', 'GUN', 'Version', 'SHA256', 'Category'],
            page.records),
        el('p', {class: 'pager'},
            el('button', {type: 'button', disabled: !first, onclick: () => go(first.ID, -PAGE)}, '← Older'), ' ',
            el('button', {type: 'button', disabled: !last, onclick: () => go(last.ID, PAGE)}, 'Newer →'), ' ',
            el('button', {type: 'button', onclick: () => go('1', -PAGE)}, 'Latest')));
}
