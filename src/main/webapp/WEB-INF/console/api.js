// The service's API as the console calls it: a bearer token kept in session storage only (gone
// when the tab closes), paths relative to the console so that any context root works, and every
// error as the API's problem+json detail.

const KEY = 'registry-audit.token';

/** An API error: the HTTP status and the problem's detail. */
export class ApiError extends Error {
    constructor(status, detail) {
        super(detail);
        this.status = status;
    }
}

/** A JWT's claims (the token service signed it; the API checks it, the console only reads it). */
function claimsOf(token) {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
}

/** The signed-in caller ({name, roles, expiresAt}) or null. */
export function session() {
    const token = sessionStorage.getItem(KEY);
    if (!token) {
        return null;
    }
    const claims = claimsOf(token);
    if (claims.exp * 1000 <= Date.now()) {
        sessionStorage.removeItem(KEY);
        return null;
    }
    return {name: claims.sub, roles: claims.groups || [], expiresAt: new Date(claims.exp * 1000)};
}

export function isAdmin() {
    const s = session();
    return s !== null && s.roles.includes('admin');
}

/** Gets a token from the token service with the user's password (a login event). */
export async function signIn(user, password) {
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(user + ':' + password)));
    // credentials 'omit': a 401 does not open the browser's own password dialog
    const response = await fetch('../auth/token', {
        headers: {Authorization: 'Basic ' + basic},
        credentials: 'omit',
        cache: 'no-store',
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new ApiError(response.status, body.detail || response.statusText);
    }
    const roles = claimsOf(body.token).groups || [];
    if (!roles.includes('admin') && !roles.includes('auditor')) {
        throw new ApiError(403, 'this user may push and pull but not read the audit log');
    }
    sessionStorage.setItem(KEY, body.token);
    return session();
}

export function signOut() {
    sessionStorage.removeItem(KEY);
}

/** Calls the API; resolves to the parsed JSON (or the Response for raw: true), rejects with an ApiError. */
export async function call(path, {method = 'GET', body, accept = 'application/json', raw = false} = {}) {
    const token = sessionStorage.getItem(KEY);
    const headers = {Accept: accept};
    if (token) {
        headers.Authorization = 'Bearer ' + token;
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const response = await fetch('../' + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
    });
    if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        if (response.status === 401) {
            signOut();
            window.dispatchEvent(new CustomEvent('session-ended'));
        }
        throw new ApiError(response.status, problem.detail || problem.title || response.statusText);
    }
    if (raw) {
        return response;
    }
    return response.status === 204 ? null : response.json();
}

/** A query string of the values that are set. */
export function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== null && v !== '') {
            q.set(k, v);
        }
    }
    const s = q.toString();
    return s ? '?' + s : '';
}
