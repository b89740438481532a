// The console's shell: sign-in, a menu by role, and a view per URL fragment (#/logs/repository?…),
// so that every view, with its filters, can be bookmarked and shared.
import {session, signIn, signOut, isAdmin} from './api.js';
import {status} from './ui.js';
import * as logs from './views/logs.js';
import * as queryView from './views/query.js';
import * as metrics from './views/metrics.js';
import * as trust from './views/trust.js';
import * as admin from './views/admin.js';

const view = document.getElementById('view');
const signInForm = document.getElementById('sign-in');

function route() {
    const [path, search] = location.hash.replace(/^#/, '').split('?');
    const params = new URLSearchParams(search || '');
    const parts = path.split('/').filter(Boolean);
    switch (parts[0]) {
        case 'logs':
            return logs.render(view, parts[1] === 'login' ? 'login' : 'repository', params);
        case 'query':
            return queryView.render(view, params);
        case 'metrics':
            return metrics.render(view, params);
        case 'trust':
            return trust.render(view, params);
        case 'admin':
            if (!isAdmin()) {
                view.replaceChildren();
                throw new Error('Administration is for admins only.');
            }
            return admin.render(view, parts[1]);
        default:
            location.replace('#/logs/repository');
            return null;
    }
}

async function show() {
    window.dispatchEvent(new CustomEvent('view-changed')); // a live tail on screen ends
    const caller = session();
    document.getElementById('menu').hidden = !caller;
    document.getElementById('who').hidden = !caller;
    if (!caller) {
        view.replaceChildren(signInForm);
        signInForm.hidden = false;
        document.getElementById('user').focus();
        return;
    }
    document.getElementById('caller').textContent = `${caller.name} (${caller.roles.join(', ')})`;
    for (const item of document.querySelectorAll('[data-role="admin"]')) {
        item.hidden = !caller.roles.includes('admin');
    }
    for (const link of document.querySelectorAll('#menu a')) {
        const current = location.hash.startsWith(link.getAttribute('href').split('?')[0]);
        current ? link.setAttribute('aria-current', 'page') : link.removeAttribute('aria-current');
    }
    status('');
    try {
        await route();
        if (performance.getEntriesByName('console-ready').length === 0) {
            performance.mark('console-ready'); // the first view, with its data: the browser test reports it
        }
    } catch (e) {
        status(e.message, true);
    }
}

signInForm.addEventListener('submit', async e => {
    e.preventDefault();
    const error = document.getElementById('sign-in-error');
    error.textContent = '';
    try {
        await signIn(signInForm.user.value, signInForm.password.value);
        signInForm.password.value = '';
        await show();
    } catch (problem) {
        error.textContent = problem.message;
    }
});

document.getElementById('sign-out').addEventListener('click', () => {
    signOut();
    show();
});

window.addEventListener('session-ended', () => {
    show();
    document.getElementById('sign-in-error').textContent = 'Your session ended; sign in again.';
});
window.addEventListener('hashchange', show);
show();
