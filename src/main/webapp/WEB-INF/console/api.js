// The service's API as the console calls it: the tokens kept in session storage only (gone when
// the tab closes), paths relative to the console so that any context root works, and every error
// as the API's problem+json detail. Sign-in asks the token service for a refresh token as well
// (its OAuth2 form), so the console renews its 5-minute access token by itself until the refresh
// token ends (12 hours by default) or the user signs out, which ends it on the server too.

const KEY = 'registry-audit.token';
const REFRESH_KEY = 'registry-audit.refresh-token';
const CLIENT_ID = 'registry-audit-console';
/** Renew the access token when it has less than this left. */
const RENEW_BEFORE_MS = 30e3;

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

/** The signed-in caller ({name, roles, expiresAt}) or null; an expired access token still counts while it can be renewed. */
export function session() {
    const token = sessionStorage.getItem(KEY);
    if (!token) {
        return null;
    }
    const claims = claimsOf(token);
    if (claims.exp * 1000 <= Date.now() && !sessionStorage.getItem(REFRESH_KEY)) {
        sessionStorage.removeItem(KEY);
        return null;
    }
    return {name: claims.sub, roles: claims.groups || [], expiresAt: new Date(claims.exp * 1000)};
}

export function isAdmin() {
    const s = session();
    return s !== null && s.roles.includes('admin');
}

/** POSTs a form to the token service (credentials 'omit': a 401 opens no password dialog of the browser's). */
async function tokenRequest(form) {
    const response = await fetch('../auth/token', {
        method: 'POST',
        body: new URLSearchParams({client_id: CLIENT_ID, ...form}),
        credentials: 'omit',
        cache: 'no-store',
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new ApiError(response.status, body.detail || response.statusText);
    }
    return body;
}

/** Gets a token and a refresh token from the token service with the user's password (a login event). */
export async function signIn(user, password) {
    const body = await tokenRequest({grant_type: 'password', username: user, password, access_type: 'offline'});
    const roles = claimsOf(body.access_token).groups || [];
    if (!roles.includes('admin') && !roles.includes('auditor')) {
        revoke(body.refresh_token);
        throw new ApiError(403, 'this user may push and pull but not read the audit log');
    }
    sessionStorage.setItem(KEY, body.access_token);
    sessionStorage.setItem(REFRESH_KEY, body.refresh_token);
    return session();
}

function revoke(refreshToken) {
    if (refreshToken) {
        fetch('../auth/revoke', {method: 'POST', body: new URLSearchParams({token: refreshToken}), credentials: 'omit'})
            .catch(() => {});
    }
}

/** Signs out here and ends the refresh token on the server. */
export function signOut() {
    revoke(sessionStorage.getItem(REFRESH_KEY));
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(REFRESH_KEY);
}

let renewing = null;

/** A new access token from the refresh token (a login event); one request however many callers wait. */
function renew() {
    renewing ??= tokenRequest({grant_type: 'refresh_token', refresh_token: sessionStorage.getItem(REFRESH_KEY) || ''})
        .then(body => sessionStorage.setItem(KEY, body.access_token))
        .finally(() => renewing = null);
    return renewing;
}

/** The access token, renewed first when it is about to end; null once the session has ended. */
export async function accessToken({force = false} = {}) {
    const token = sessionStorage.getItem(KEY);
    if (!token) {
        return null;
    }
    if (sessionStorage.getItem(REFRESH_KEY) && (force || claimsOf(token).exp * 1000 - Date.now() < RENEW_BEFORE_MS)) {
        try {
            await renew();
        } catch (e) {
            endSession();
            throw new ApiError(401, e.message);
        }
    }
    return sessionStorage.getItem(KEY);
}

function endSession() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(REFRESH_KEY);
    window.dispatchEvent(new CustomEvent('session-ended'));
}

/** Calls the API; resolves to the parsed JSON (or the Response for raw: true), rejects with an ApiError. */
export async function call(path, {method = 'GET', body, accept = 'application/json', raw = false} = {}) {
    let response = await send(path, method, body, accept, await accessToken());
    if (response.status === 401 && sessionStorage.getItem(REFRESH_KEY)) {
        response = await send(path, method, body, accept, await accessToken({force: true})); // ended early: once more
    }
    if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        if (response.status === 401) {
            endSession();
        }
        throw new ApiError(response.status, problem.detail || problem.title || response.statusText);
    }
    if (raw) {
        return response;
    }
    return response.status === 204 ? null : response.json();
}

function send(path, method, body, accept, token) {
    const headers = {Accept: accept};
    if (token) {
        headers.Authorization = 'Bearer ' + token;
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    return fetch('../' + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
    });
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

/**
 * Follows a live tail: Server-Sent Events read with fetch (EventSource cannot send a bearer
 * token). onEvent(record) for every event; when the stream ends, as it does with its access token,
 * it goes on from the last event id with a renewed token, so nothing is missed. Stops when signal
 * aborts or the session ends; onState(text) tells the user what it is doing.
 */
export async function follow(path, onEvent, signal, onState) {
    let last = '';
    while (!signal.aborted) {
        let token;
        try {
            token = await accessToken();
        } catch (e) {
            onState(e.message, true);
            return;
        }
        if (!token) {
            return;
        }
        try {
            const separator = path.includes('?') ? '&' : '?';
            const response = await fetch('../' + path + (last ? separator + 'lastEventId=' + encodeURIComponent(last) : ''), {
                headers: {Accept: 'text/event-stream', Authorization: 'Bearer ' + token},
                credentials: 'omit',
                cache: 'no-store',
                signal,
            });
            if (!response.ok) {
                const problem = await response.json().catch(() => ({}));
                if (response.status !== 401) {
                    onState(problem.detail || response.statusText, true);
                    return;
                }
                await accessToken({force: true});
                continue;
            }
            onState('Live: following new events…');
            last = await readEvents(response.body, onEvent, last);
        } catch (e) {
            if (signal.aborted) {
                return;
            }
            onState('Live: connection lost, trying again…');
            await new Promise(resolve => setTimeout(resolve, 2000));
        }
    }
}

/** Reads one event stream to its end; returns the last event id seen. */
async function readEvents(body, onEvent, last) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
        const {value, done} = await reader.read();
        if (done) {
            return last;
        }
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.substring(0, end);
            buffer = buffer.substring(end + 2);
            let id = null;
            const data = [];
            for (const line of block.split('\n')) {
                if (line.startsWith('id:')) {
                    id = line.substring(3).trim();
                } else if (line.startsWith('data:')) {
                    data.push(line.substring(5).replace(/^ /, ''));
                }
            }
            if (data.length) {
                onEvent(JSON.parse(data.join('\n')));
            }
            if (id) {
                last = id;
            }
        }
    }
}
