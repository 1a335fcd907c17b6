// The staff console's only script. Every page works without it (forms post, links go); it adds
// what a browser cannot do alone: keyboard shortcuts, the `?` overlay, lease heartbeats and
// release on leave, countdowns, copy buttons and refreshing the queues. It talks to this origin
// only (the CSP allows nothing else) and never touches a reported URL except to copy its text.
'use strict';
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const main = document.getElementById('main');
  let submitting = false;
  let lastActivity = Date.now();

  function post(url, options) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf, accept: 'application/json' }, ...options });
  }

  // Requests nobody asked for (the session check, refreshing a list): the server does not count
  // them as use, so an open tab nobody looks at still lapses on idle.
  function background(url) {
    return fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json', 'x-hotline-background': '1' } });
  }

  function typing(target) {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable) return true;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
    return target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(target.type);
  }

  // ------------------------------------------------------------------ shortcuts and the overlay
  const dialog = document.getElementById('shortcuts');
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key === 'Escape' && typing(event.target)) {
      event.target.blur();
      main?.focus();
      return;
    }
    if (typing(event.target) || dialog?.open) return;
    if (event.key === '?') {
      event.preventDefault();
      dialog?.showModal();
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const target = Array.from(document.querySelectorAll('[data-key]')).find((el) => el.getAttribute('data-key') === key && !el.closest('[hidden]'));
    if (!target || target.disabled) return;
    event.preventDefault();
    if (target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'checkbox')) {
      target.click();
      target.focus();
    } else if (typing(target) || target.hasAttribute('data-key-focus')) {
      target.focus();
    } else {
      target.click();
    }
  });

  // A form of the page that comes back to it (an assessment, a reveal, the language) or ends the
  // lease itself (release) keeps the lease as it is while the browser leaves; closing a dialog is
  // not leaving, and signing out (data-leaves-case) gives the case back like closing the tab.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.method === 'post' && !form.hasAttribute('data-leaves-case')) submitting = true;
  });
  window.addEventListener('pageshow', () => (submitting = false));
  for (const type of ['keydown', 'pointerdown', 'scroll', 'input', 'focus'])
    document.addEventListener(type, () => (lastActivity = Date.now()), { passive: true, capture: true });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && (lastActivity = Date.now()));

  // ------------------------------------------------------------------ countdowns
  function remaining(element) {
    return Date.parse(element.getAttribute('data-countdown-to') ?? '') - Date.now();
  }

  function clock(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, '0')}`;
  }

  function tick() {
    for (const element of document.querySelectorAll('[data-countdown-to]')) {
      const left = remaining(element);
      const text = left > 0 ? clock(left) : (element.getAttribute('data-expired-text') ?? '0:00');
      if (element.textContent !== text) element.textContent = text;
      element.classList.toggle('expired', left <= 0);
    }
  }
  setInterval(tick, 1000);
  tick();

  // The server's way of writing a time (console-web/i18n formatTime): 24-hour, UTC.
  function utcTime(at) {
    const lang = document.documentElement.lang === 'ar' ? 'ar-u-nu-latn' : document.documentElement.lang;
    return `${new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(at)} UTC`;
  }

  // ------------------------------------------------------------------ the session's idle lapse
  const lapse = document.getElementById('session-lapse');
  if (lapse) {
    const check = async () => {
      const expires = Date.parse(lapse.getAttribute('data-session-expires') ?? '');
      if (Date.now() < expires - 5000) return;
      // Heartbeats may have extended it: ask before sending anyone to the sign-in page.
      const me = await background('/api/v1/auth/me').catch(() => null);
      if (me?.ok) {
        const { sessionExpiresAt } = await me.json();
        lapse.setAttribute('data-session-expires', sessionExpiresAt);
        const time = document.getElementById('session-lapse-time');
        if (time) time.textContent = utcTime(new Date(sessionExpiresAt));
      } else if (me && me.status === 401) {
        window.location.assign('/login?lapsed=1');
      }
    };
    setInterval(check, 5000);
  }

  // ------------------------------------------------------------------ the lease of an open case
  const lease = main?.getAttribute('data-lease-case') ? main : null;
  if (lease) {
    const heartbeatUrl = lease.getAttribute('data-heartbeat-url');
    const leaveUrl = lease.getAttribute('data-leave-url');
    const countdown = document.getElementById('lease-countdown');
    const lost = document.getElementById('lease-lost');
    let held = true;
    // Renewed while someone is at the page, or was within a lease's length (analysts look at the
    // content elsewhere, so minutes without input are normal); a tab left alone longer lets the
    // lease lapse, so the case goes back to others and exposure time stops counting.
    const activeMs = Number(lease.getAttribute('data-lease-ms')) || 10 * 60_000;
    const beat = async () => {
      if (!held || Date.now() - lastActivity > activeMs) return;
      const answer = await post(heartbeatUrl).catch(() => null);
      if (answer?.ok) {
        const { expiresAt } = await answer.json();
        countdown?.setAttribute('data-countdown-to', expiresAt);
        tick();
      } else if (answer && answer.status >= 400 && answer.status < 500) {
        held = false;
        if (lost) lost.hidden = false;
      }
    };
    // Soon after loading: a reload's leave (below) shortened the lease, and this renews it. Not at
    // once: the leave, sent by the page before, may still be on its way.
    setTimeout(beat, 2_000);
    setInterval(beat, 30_000);
    // Leaving the page shortens the lease to a few seconds (the server's LEAVE_GRACE_MS): a closed
    // tab gives the case back, a reload comes back in time and renews it. A form of the page itself
    // (assessment, reveal, release) decides the lease on its own.
    window.addEventListener('pagehide', () => {
      if (held && !submitting) post(leaveUrl, { keepalive: true }).catch(() => undefined);
    });
  }

  // ------------------------------------------------------------------ copy a revealed URL as text
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.getAttribute('data-copy'));
      const status = document.getElementById(button.getAttribute('data-copy-status'));
      try {
        await navigator.clipboard.writeText(source?.textContent ?? '');
        if (status) status.textContent = button.getAttribute('data-copied-text') ?? '';
      } catch {
        // No clipboard permission: select the text so Ctrl+C copies it.
        const range = document.createRange();
        range.selectNodeContents(source);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
      }
    });
  }

  // ------------------------------------------------------------------ refresh a live region
  const refreshSeconds = Number(main?.getAttribute('data-refresh-seconds'));
  if (refreshSeconds > 0) {
    setInterval(async () => {
      if (document.visibilityState !== 'visible' || dialog?.open || typing(document.activeElement)) return;
      const answer = await background(window.location.href).catch(() => null);
      if (!answer?.ok || answer.redirected) return;
      const next = new DOMParser().parseFromString(await answer.text(), 'text/html');
      for (const region of document.querySelectorAll('[data-refreshable]')) {
        const fresh = next.getElementById(region.id);
        if (fresh && region.contains(document.activeElement) === false) region.replaceChildren(...Array.from(fresh.childNodes));
      }
    }, refreshSeconds * 1000);
  }
})();
