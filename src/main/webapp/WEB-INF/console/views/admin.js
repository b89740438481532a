// Administration (admins only; the API refuses everyone else anyway): users and grants, public
// repositories, diagnostic settings, stream destinations, Notary followers, signing keys, the
// archive with a progress bar while a run goes, its verification report, export and restores.
import {call, query} from '../api.js';
import {el, field, table, cell, status} from '../ui.js';

const SECTIONS = {
    users: 'Users',
    public: 'Public repositories',
    settings: 'Diagnostic settings',
    streams: 'Stream destinations',
    followers: 'Notary followers',
    keys: 'Signing keys',
    archive: 'Archive',
    rejected: 'Rejected messages',
};

export async function render(view, section) {
    section = SECTIONS[section] ? section : 'users';
    const menu = el('nav', {'aria-label': 'Administration'}, el('ul', {class: 'tabs'},
        Object.entries(SECTIONS).map(([k, name]) => el('li', {},
            el('a', {href: '#/admin/' + k, 'aria-current': k === section ? 'page' : false}, name)))));
    const body = el('div');
    view.replaceChildren(el('h2', {}, 'Administration: ' + SECTIONS[section]), menu, body);
    status('Loading…');
    await RENDER[section](body);
    status('');
}

/** Runs an action, shows its error (the problem's detail) or reloads the section. */
function action(run, reload) {
    return async e => {
        e && e.preventDefault && e.preventDefault();
        try {
            await run();
            status('Done.');
            await reload();
        } catch (problem) {
            status(problem.message, true);
        }
    };
}

function rows(items) {
    const columns = [...new Set(items.flatMap(i => Object.keys(i)))];
    return [columns, items.map(i => columns.map(c => i[c]))];
}

function listOf(caption, items) {
    const [columns, values] = rows(items);
    return items.length ? table(caption, columns, values) : el('p', {}, caption + ': none.');
}

const RENDER = {
    async users(body) {
        const reload = () => RENDER.users(body);
        const users = await call('api/users');
        const name = el('input', {name: 'name', required: true, autocomplete: 'off'});
        const password = el('input', {name: 'password', type: 'password', autocomplete: 'new-password'});
        const role = el('select', {name: 'role'}, el('option', {value: 'auditor'}, 'auditor'),
            el('option', {value: 'admin'}, 'admin'), el('option', {value: ''}, 'none (registry only)'));
        const grants = el('textarea', {name: 'grants', rows: 3},
            '[{"repository":"team/*","actions":["pull"]}]');
        const form = el('form', {class: 'card', 'aria-label': 'Create or change a user'},
            el('h3', {}, 'Create or change a user'),
            field('Name', name), field('Password (empty: keep)', password), field('Role', role),
            field('Grants (JSON)', grants), el('button', {type: 'submit'}, 'Save'));
        form.addEventListener('submit', action(() => {
            let parsed;
            try {
                parsed = JSON.parse(grants.value || '[]');
            } catch (e) {
                throw new Error('Grants are not JSON: ' + e.message);
            }
            const request = {grants: parsed};
            if (role.value) {
                request.role = role.value;
            }
            if (password.value) {
                request.password = password.value;
            }
            return call('api/users/' + encodeURIComponent(name.value), {method: 'PUT', body: request});
        }, reload));
        body.replaceChildren(
            table('Users', ['name', 'role', 'grants', ''], users.map(u => [u.name, u.role, cell(u.grants),
                el('button', {type: 'button', 'aria-label': 'Delete ' + u.name,
                    onclick: action(() => call('api/users/' + encodeURIComponent(u.name), {method: 'DELETE'}), reload)},
                'Delete')])),
            form);
    },

    async public(body) {
        const reload = () => RENDER.public(body);
        const patterns = await call('api/public-repositories');
        const pattern = el('input', {name: 'pattern', required: true, placeholder: 'library/*'});
        const form = el('form', {class: 'card'}, field('Pattern', pattern), el('button', {type: 'submit'}, 'Make public'));
        form.addEventListener('submit', action(() => call('api/public-repositories/' + pattern.value, {method: 'PUT'}), reload));
        body.replaceChildren(
            table('Public repositories', ['pattern', ''], patterns.map(p => {
                const text = typeof p === 'string' ? p : p.pattern;
                return [text, el('button', {type: 'button', 'aria-label': 'Remove ' + text,
                    onclick: action(() => call('api/public-repositories/' + text, {method: 'DELETE'}), reload)}, 'Remove')];
            })),
            form);
    },

    async settings(body) {
        const reload = () => RENDER.settings(body);
        const settings = await call('api/diagnostic-settings');
        const server = el('input', {name: 'loginServer', required: true, value: '*'});
        const category = el('select', {name: 'category'}, ['ContainerRegistryRepositoryEvents',
            'ContainerRegistryLoginEvents', 'TrustChanges', 'AzureMetrics'].map(c => el('option', {}, c)));
        const change = el('textarea', {name: 'change', rows: 3},
            '{"collect":true,"archive":true,"retentionDays":90,"streamTo":[]}');
        const form = el('form', {class: 'card'}, el('h3', {}, 'Set a diagnostic setting'),
            field('Login server (* for the default)', server), field('Category', category),
            field('Setting (JSON)', change), el('button', {type: 'submit'}, 'Save'));
        form.addEventListener('submit', action(() => call(
            `api/diagnostic-settings/${encodeURIComponent(server.value)}/${category.value}`,
            {method: 'PUT', body: JSON.parse(change.value)}), reload));
        body.replaceChildren(listOf('Diagnostic settings', settings), form);
    },

    async streams(body) {
        body.replaceChildren(listOf('Stream destinations', await call('api/stream-destinations')));
    },

    async followers(body) {
        body.replaceChildren(listOf('Notary followers (lagSeconds: how far behind)', await call('api/notary-followers')));
    },

    async keys(body) {
        const reload = () => RENDER.keys(body);
        const keys = await call('api/token-keys');
        const step = (label, method, path) => el('button', {type: 'button',
            onclick: action(() => call('api/token-keys/' + path, {method}), reload)}, label);
        body.replaceChildren(
            el('pre', {class: 'card'}, JSON.stringify(keys, null, 2)),
            el('ol', {class: 'steps'},
                el('li', {}, step('1. Prepare the next key', 'POST', 'next'),
                    ' registries fetch ../auth/certificate again and trust it'),
                el('li', {}, step('2. Promote it', 'POST', 'promotion'), ' new tokens are signed with it'),
                el('li', {}, step('3. Stop trusting the previous key', 'DELETE', 'previous'),
                    ' once tokens it signed have expired')));
    },

    async archive(body) {
        const reload = () => RENDER.archive(body);
        const progress = el('progress', {max: 1, value: 0, 'aria-label': 'Archive run'});
        const figures = el('p');
        const show = s => {
            const total = s.records + (s.left || 0);
            progress.max = Math.max(total, 1);
            progress.value = s.running ? s.records : progress.max;
            progress.hidden = !s.running;
            figures.textContent = (s.running ? `Running: ${s.current || 'between buckets'}, ` : 'Last run: ')
                + `${s.records} records in ${s.files} files` + (s.left ? `, ${s.left} left` : '')
                + (s.finishedAt ? `, finished ${s.finishedAt}` : '') + (s.lastError ? `; error: ${s.lastError}` : '');
        };
        const poll = async () => {
            if (!body.isConnected) {
                return;
            }
            const s = await call('api/archive');
            show(s);
            if (s.running) {
                setTimeout(poll, 1000);
            }
        };
        const report = el('div', {'aria-live': 'polite'});
        const verify = async () => {
            status('Verifying every archived file…');
            const v = await call('api/archive/verification');
            report.replaceChildren(el('section', {class: 'card'},
                el('h3', {}, v.ok ? 'Verification: every file checks out' : 'Verification found problems'),
                el('p', {}, `${v.digests} digests, ${v.files} files, ${v.records} records`),
                v.problems.length ? el('ul', {class: 'error'}, v.problems.map(p => el('li', {}, p))) : '',
                v.pending.length ? el('p', {}, 'Pending: ' + v.pending.join(', ')) : ''));
        };
        const category = el('select', {name: 'category'}, ['ContainerRegistryRepositoryEvents',
            'ContainerRegistryLoginEvents'].map(c => el('option', {}, c)));
        const loginServer = el('input', {name: 'loginServer'});
        const from = el('input', {name: 'from', type: 'datetime-local', required: true});
        const to = el('input', {name: 'to', type: 'datetime-local', required: true});
        const format = el('select', {name: 'format'}, el('option', {value: 'jsonl'}, 'JSON Lines'),
            el('option', {value: 'csv'}, 'CSV'));
        const range = () => ({category: category.value, loginServer: loginServer.value,
            from: new Date(from.value).toISOString(), to: new Date(to.value).toISOString()});
        const exportForm = el('form', {class: 'card'}, el('h3', {}, 'Export or restore'),
            field('Category', category), field('Login server (empty: all)', loginServer), field('From', from),
            field('To', to), field('Format', format),
            el('button', {type: 'submit'}, 'Download export'), ' ',
            el('button', {type: 'button', onclick: action(() => call('api/archive/restores',
                {method: 'POST', body: range()}), reload)}, 'Restore from the archive'));
        exportForm.addEventListener('submit', action(async () => {
            const response = await call('api/archive/export' + query({...range(), format: format.value}),
                {raw: true, accept: format.value === 'csv' ? 'text/csv' : 'application/x-ndjson'});
            const blob = await response.blob();
            const link = el('a', {href: URL.createObjectURL(blob),
                download: `${category.value}.${format.value === 'csv' ? 'csv' : 'jsonl'}`});
            document.body.append(link);
            link.click();
            link.remove();
        }, async () => {}));
        const restores = await call('api/archive/restores');
        body.replaceChildren(
            el('section', {class: 'card'}, el('h3', {}, 'Archive run'), progress, figures,
                el('button', {type: 'button', onclick: action(() => call('api/archive/runs', {method: 'POST'}), poll)},
                    'Start a run now'), ' ',
                el('button', {type: 'button', onclick: action(verify, async () => {})}, 'Verify the archive')),
            report, exportForm,
            restores.length ? table('Restores in the query tables', [...Object.keys(restores[0]), ''],
                restores.map(r => [...Object.values(r), el('button', {type: 'button',
                    onclick: action(() => call('api/archive/restores/' + r.id, {method: 'DELETE'}), reload)}, 'Drop')]))
                : el('p', {}, 'No restores in the query tables.'));
        await poll();
    },

    async rejected(body) {
        const page = await call('api/rejected-messages' + query({limit: 50}));
        body.replaceChildren(listOf('Rejected messages, newest first (the dead-letter path)', page.items));
    },
};
