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

  for (const form of document.querySelectorAll('form')) form.addEventListener('submit', () => (submitting = true));
  for (const type of ['keydown', 'pointerdown', 'scroll', 'input']) document.addEventListener(type, () => (lastActivity = Date.now()), { passive: true, capture: true });

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

  // ------------------------------------------------------------------ the session's idle lapse
  const lapse = document.getElementById('session-lapse');
  if (lapse) {
    const check = async () => {
      const expires = Date.parse(lapse.getAttribute('data-session-expires') ?? '');
      if (Date.now() < expires - 5000) return;
      // Heartbeats may have extended it: ask before sending anyone to the sign-in page.
      const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => null);
      if (me?.ok) {
        const { sessionExpiresAt } = await me.json();
        lapse.setAttribute('data-session-expires', sessionExpiresAt);
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
    const releaseUrl = lease.getAttribute('data-release-url');
    const countdown = document.getElementById('lease-countdown');
    const lost = document.getElementById('lease-lost');
    let held = true;
    // Only while someone is at the page: an open tab nobody looks at lets the lease lapse, so an
    // analyst who walked away neither keeps the case from others nor counts exposure time.
    const ACTIVE_MS = 2 * 60_000;
    const beat = async () => {
      if (!held || Date.now() - lastActivity > ACTIVE_MS) return;
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
    setInterval(beat, 30_000);
    // Leaving the page gives the case back at once, unless the page itself is submitting a form
    // (an assessment, a reveal, an explicit release): that request ends or keeps the lease.
    window.addEventListener('pagehide', () => {
      if (held && !submitting) post(releaseUrl, { keepalive: true }).catch(() => undefined);
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
      const answer = await fetch(window.location.href, { credentials: 'same-origin' }).catch(() => null);
      if (!answer?.ok || answer.redirected) return;
      const next = new DOMParser().parseFromString(await answer.text(), 'text/html');
      for (const region of document.querySelectorAll('[data-refreshable]')) {
        const fresh = next.getElementById(region.id);
        if (fresh && region.contains(document.activeElement) === false) region.replaceChildren(...Array.from(fresh.childNodes));
      }
    }, refreshSeconds * 1000);
  }
})();
