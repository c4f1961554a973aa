// botvideo web app: the video dialog, the gallery with live status, the onboarding steps.
// Plain JavaScript, no build step. User text only ever reaches the page through textContent or attributes.
(() => {
  'use strict';

  // The video types and statuses, defined once on the server and embedded in every page.
  const VOCABULARY = JSON.parse(document.getElementById('botvideo-vocabulary')?.textContent || '{"types":[],"statuses":[]}');
  const TYPE_LABELS = Object.fromEntries(VOCABULARY.types.map((t) => [t.id, t.label]));
  const STATUS_LABELS = Object.fromEntries(VOCABULARY.statuses.map((s) => [s.id, s.label]));
  const TERMINAL = new Set(VOCABULARY.statuses.filter((s) => s.terminal).map((s) => s.id));
  // The spec's fallback when the event stream is unavailable: poll every 5 s, give up after 5 minutes.
  const POLL_INTERVAL_MS = 5000;
  const POLL_LIMIT_MS = 5 * 60 * 1000;

  const $ = (root, selector) => root.querySelector(selector);
  const $$ = (root, selector) => Array.from(root.querySelectorAll(selector));

  // --- HTTP ------------------------------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)botvideo_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError('The server could not be reached. Check your connection and try again.', 0, 'network');
    }
    if (response.status === 204) return null;
    let payload = null;
    try {
      payload = await response.json();
    } catch (err) {
      payload = null;
    }
    if (!response.ok) {
      if (response.status === 401) {
        window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
      }
      const message = (payload && payload.error) || `The request failed (${response.status}).`;
      throw new ApiError(message, response.status, payload && payload.code);
    }
    return payload;
  }

  // --- small helpers ---------------------------------------------------------------------------------------

  function parseTime(value) {
    if (!value) return null;
    // Timestamps without a zone are UTC on the server.
    const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  const relative = typeof Intl !== 'undefined' && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
    : null;

  function age(date) {
    if (!date) return '';
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return 'just now';
    const units = [
      ['minute', 60, 3600],
      ['hour', 3600, 86400],
      ['day', 86400, 86400 * 30],
      ['month', 86400 * 30, 86400 * 365],
      ['year', 86400 * 365, Infinity],
    ];
    for (const [unit, size, limit] of units) {
      if (abs < limit) {
        const amount = Math.round(seconds / size);
        return relative ? relative.format(amount, unit) : `${Math.abs(amount)} ${unit}s ago`;
      }
    }
    return '';
  }

  function percent(progress) {
    return typeof progress === 'number' ? Math.max(0, Math.min(100, Math.round(progress * 100))) : null;
  }

  function aspectRatio(value) {
    const match = /^(\d+):(\d+)$/.exec(value || '');
    return match ? `${match[1]} / ${match[2]}` : '16 / 9';
  }

  function make(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  // --- toasts ----------------------------------------------------------------------------------------------

  function toast(message, { kind = 'error', actionLabel, onAction, timeout } = {}) {
    const region = document.getElementById('toasts');
    if (!region) return null;
    const item = make('div', `toast toast-${kind}`);
    item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    item.dataset.toast = kind;
    const text = make('p', 'toast-text', message);
    item.append(text);
    const dismiss = () => item.remove();
    if (actionLabel && onAction) {
      const action = make('button', 'btn btn-sm btn-secondary', actionLabel);
      action.type = 'button';
      action.addEventListener('click', () => {
        dismiss();
        onAction();
      });
      item.append(action);
    }
    const close = make('button', 'icon-btn toast-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', dismiss);
    item.append(close);
    region.append(item);
    const ms = timeout !== undefined ? timeout : (actionLabel ? 20000 : 6000);
    if (ms > 0) setTimeout(dismiss, ms);
    return item;
  }

  // --- focus trap for modals -------------------------------------------------------------------------------

  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), video[controls], summary, [tabindex]:not([tabindex="-1"])';

  function trapFocus(dialog) {
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const items = $$(dialog, FOCUSABLE).filter((el) => el.offsetParent !== null || el === document.activeElement);
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
  }

  // --- live status: Server-Sent Events, or polling when the stream is unavailable -------------------------

  class Live {
    constructor(botId) {
      this.botId = botId;
      this.listeners = new Set();
      this.staleListeners = new Set();
      this.watched = new Map(); // video id -> last known status
      this.mode = 'idle'; // idle | stream | polling | stale
      this.source = null;
      this.pollTimer = null;
      this.pollStarted = 0;
      this.indicator = document.querySelector('[data-live-indicator]');
    }

    subscribe(listener) {
      this.listeners.add(listener);
      this.start();
    }

    onStale(listener) {
      this.staleListeners.add(listener);
    }

    watch(video) {
      if (!TERMINAL.has(video.status)) this.watched.set(video.id, video.status);
      this.start();
    }

    emit(video) {
      if (TERMINAL.has(video.status)) this.watched.delete(video.id);
      else if (this.watched.has(video.id)) this.watched.set(video.id, video.status);
      this.listeners.forEach((listener) => listener({ kind: 'video', video }));
    }

    emitGone(id) {
      this.watched.delete(id);
      this.listeners.forEach((listener) => listener({ kind: 'gone', id }));
    }

    setIndicator(text) {
      if (this.indicator) this.indicator.textContent = text;
    }

    start() {
      if (this.mode !== 'idle') return;
      if (typeof window.EventSource === 'function') this.connect();
      else this.startPolling();
    }

    connect() {
      this.mode = 'stream';
      let ready = false;
      let failures = 0;
      const source = new EventSource(`/api/v1/communities/${encodeURIComponent(this.botId)}/videos/events`);
      this.source = source;
      source.addEventListener('ready', () => {
        ready = true;
        failures = 0;
        this.setIndicator('● Live');
        // Changes between the page's first read (or a reconnect) and this subscription are re-read once.
        this.refreshWatched();
      });
      source.addEventListener('video', (event) => {
        try {
          this.emit(JSON.parse(event.data));
        } catch (err) {
          // A malformed event is skipped; the next change or the re-read catches up.
        }
      });
      source.onerror = () => {
        failures += 1;
        // Never connected, or keeps dropping: fall back to polling. A single drop reconnects by itself.
        if (!ready || failures >= 3 || source.readyState === EventSource.CLOSED) {
          source.close();
          this.source = null;
          this.startPolling();
        }
      };
    }

    startPolling() {
      this.mode = 'polling';
      this.pollStarted = Date.now();
      this.setIndicator('Checking every 5 s');
      const tick = async () => {
        if (Date.now() - this.pollStarted >= POLL_LIMIT_MS) {
          this.mode = 'stale';
          this.pollTimer = null;
          this.setIndicator('');
          this.staleListeners.forEach((listener) => listener());
          return;
        }
        await this.refreshWatched();
        this.listeners.forEach((listener) => listener({ kind: 'poll' }));
        this.pollTimer = setTimeout(tick, POLL_INTERVAL_MS);
      };
      this.pollTimer = setTimeout(tick, POLL_INTERVAL_MS);
    }

    async refreshWatched() {
      const ids = Array.from(this.watched.keys());
      await Promise.all(ids.map(async (id) => {
        try {
          this.emit(await api('GET', `/api/v1/videos/${encodeURIComponent(id)}`));
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) this.emitGone(id);
        }
      }));
    }
  }

  // --- confirmation dialog ---------------------------------------------------------------------------------

  function confirmAction({ title, text, ok }) {
    const dialog = document.querySelector('[data-confirm-dialog]');
    if (!dialog || typeof dialog.showModal !== 'function') return Promise.resolve(window.confirm(title));
    $(dialog, '[data-confirm-title]').textContent = title;
    $(dialog, '[data-confirm-text]').textContent = text;
    $(dialog, '[data-confirm-ok]').textContent = ok;
    const opener = document.activeElement;
    return new Promise((resolve) => {
      const finish = (answer) => {
        dialog.removeEventListener('close', onClose);
        okButton.removeEventListener('click', onOk);
        cancelButton.removeEventListener('click', onCancel);
        if (dialog.open) dialog.close();
        if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
        resolve(answer);
      };
      const okButton = $(dialog, '[data-confirm-ok]');
      const cancelButton = $(dialog, '[data-confirm-cancel]');
      const onOk = () => finish(true);
      const onCancel = () => finish(false);
      const onClose = () => finish(false);
      okButton.addEventListener('click', onOk);
      cancelButton.addEventListener('click', onCancel);
      dialog.addEventListener('close', onClose);
      dialog.showModal();
      cancelButton.focus();
    });
  }

  // --- gallery ---------------------------------------------------------------------------------------------

  class Gallery {
    constructor(root, ctx, live) {
      this.root = root;
      this.ctx = ctx;
      this.live = live;
      this.grid = $(root, '[data-gallery-grid]');
      this.empty = $(root, '[data-gallery-empty]');
      this.more = $(root, '[data-gallery-more]');
      this.loadingEl = $(root, '[data-gallery-loading]');
      this.stale = $(root, '[data-live-stale]');
      this.template = document.getElementById('video-card-template');
      this.limit = Number(root.dataset.limit || 12);
      this.compact = root.dataset.compact === 'true';
      this.filters = { type: '', status: '' };
      this.cursor = null;
      this.loading = false;
      this.generation = 0;
      this.cards = new Map(); // id -> { el, video }

      $$(root, '[data-filter]').forEach((select) => {
        select.addEventListener('change', () => {
          this.filters[select.dataset.filter] = select.value;
          this.reload();
        });
      });
      const loadMore = $(root, '[data-load-more]');
      if (loadMore) loadMore.addEventListener('click', () => this.loadNext());
      const refresh = $(root, '[data-refresh]');
      if (refresh) refresh.addEventListener('click', () => window.location.reload());
      if (this.more && 'IntersectionObserver' in window && !this.compact) {
        // More on scroll: the "Load more" row doubles as the sentinel.
        new IntersectionObserver((entries) => {
          if (entries.some((entry) => entry.isIntersecting)) this.loadNext();
        }, { rootMargin: '400px' }).observe(this.more);
      }
      live.subscribe((event) => this.onLive(event));
      live.onStale(() => { if (this.stale) this.stale.hidden = false; });
      setInterval(() => this.cards.forEach(({ el, video }) => this.renderAge(el, video)), 30000);
      this.reload();
    }

    query(cursor) {
      const params = new URLSearchParams({ limit: String(this.limit) });
      if (this.filters.type) params.set('type', this.filters.type);
      if (this.filters.status) params.set('status', this.filters.status);
      if (cursor) params.set('cursor', cursor);
      return `/api/v1/communities/${encodeURIComponent(this.ctx.botId)}/videos?${params}`;
    }

    async reload() {
      this.generation += 1;
      this.cards.clear();
      this.grid.replaceChildren();
      this.cursor = null;
      this.loading = false;
      await this.fetchPage(null);
    }

    async loadNext() {
      if (this.compact || !this.cursor || this.loading) return;
      await this.fetchPage(this.cursor);
    }

    async fetchPage(cursor) {
      const generation = this.generation;
      this.loading = true;
      if (this.loadingEl) this.loadingEl.hidden = false;
      try {
        const page = await api('GET', this.query(cursor));
        if (generation !== this.generation) return;
        page.items.forEach((video) => this.upsert(video, { append: true }));
        this.cursor = page.next_cursor;
      } catch (err) {
        if (generation === this.generation) toast(err.message);
      } finally {
        if (generation === this.generation) {
          this.loading = false;
          if (this.loadingEl) this.loadingEl.hidden = true;
          this.updateChrome();
        }
      }
    }

    async onLive(event) {
      if (event.kind === 'gone') this.remove(event.id);
      else if (event.kind === 'video') this.upsert(event.video, { append: false });
      else if (event.kind === 'poll') {
        // Without the stream, new videos (made in another tab, say) are found on the first page.
        try {
          const page = await api('GET', this.query(null));
          page.items.forEach((video) => this.upsert(video, { append: false }));
        } catch (err) {
          // The next tick tries again.
        }
      }
    }

    matches(video) {
      return (!this.filters.type || video.video_type === this.filters.type)
        && (!this.filters.status || video.status === this.filters.status);
    }

    upsert(video, { append }) {
      const existing = this.cards.get(video.id);
      if (existing) {
        if (!this.matches(video)) {
          this.remove(video.id);
          return;
        }
        existing.video = video;
        this.render(existing.el, video);
        this.updateChrome();
        return;
      }
      if (video.community_id !== this.ctx.botId || !this.matches(video)) return;
      const el = this.template.content.firstElementChild.cloneNode(true);
      this.cards.set(video.id, { el, video });
      this.bindCard(el, video.id);
      this.render(el, video);
      if (append) {
        this.grid.append(el);
      } else {
        // Newest first: place by creation time; an older video beyond the loaded pages waits for its page.
        const created = parseTime(video.created_at);
        const later = Array.from(this.grid.children).find((child) => {
          const card = this.cards.get(child.dataset.videoId);
          return card && parseTime(card.video.created_at) < created;
        });
        if (later) this.grid.insertBefore(el, later);
        else if (!this.cursor) this.grid.append(el);
        else {
          this.cards.delete(video.id);
          return;
        }
        if (this.compact) {
          while (this.grid.children.length > this.limit) {
            const last = this.grid.lastElementChild;
            this.cards.delete(last.dataset.videoId);
            last.remove();
          }
        }
      }
      if (!TERMINAL.has(video.status)) this.live.watch(video);
      this.updateChrome();
    }

    remove(id) {
      const card = this.cards.get(id);
      if (!card) return;
      this.cards.delete(id);
      card.el.remove();
      this.updateChrome();
    }

    updateChrome() {
      const empty = this.cards.size === 0 && !this.loading;
      if (this.empty) {
        this.empty.hidden = !empty;
        const filtered = Boolean(this.filters.type || this.filters.status);
        const title = $(this.empty, '[data-empty-title]');
        const text = $(this.empty, '[data-empty-text]');
        const action = $(this.empty, '[data-empty-action]');
        if (title) {
          if (!title.dataset.original) title.dataset.original = title.textContent;
          title.textContent = filtered ? 'No videos match these filters' : title.dataset.original;
        }
        if (text) {
          if (!text.dataset.original) text.dataset.original = text.textContent;
          text.textContent = filtered ? 'Try another type or status.' : text.dataset.original;
        }
        if (action) action.hidden = filtered;
      }
      if (this.more) this.more.hidden = this.compact || !this.cursor;
    }

    bindCard(el, id) {
      el.dataset.videoId = id;
      $(el, '[data-play]').addEventListener('click', () => this.play(id));
      $(el, '[data-card-delete]').addEventListener('click', () => this.deleteVideo(id));
      $(el, '[data-card-cancel]').addEventListener('click', () => this.cancelVideo(id));
    }

    renderAge(el, video) {
      const created = parseTime(video.created_at);
      const time = $(el, '[data-age]');
      time.textContent = age(created);
      if (created) {
        time.dateTime = created.toISOString();
        time.title = created.toLocaleString();
      }
    }

    render(el, video) {
      const type = TYPE_LABELS[video.video_type] || video.video_type;
      const status = video.status;
      const pct = percent(video.progress);
      el.dataset.status = status;
      el.dataset.type = video.video_type;
      const media = $(el, '[data-media]');
      media.style.aspectRatio = aspectRatio(video.aspect_ratio);

      const poster = $(el, '[data-poster]');
      if (video.thumbnail_url) {
        if (poster.getAttribute('src') !== video.thumbnail_url) poster.src = video.thumbnail_url;
        poster.hidden = false;
      } else {
        poster.hidden = true;
      }
      const placeholder = $(el, '[data-placeholder]');
      const placeholderText = $(el, '[data-placeholder-text]');
      const running = !TERMINAL.has(status);
      placeholder.hidden = Boolean(video.thumbnail_url) && !running;
      $(el, '[data-placeholder-spinner]').hidden = !running;
      placeholderText.textContent = status === 'pending' ? 'Queued'
        : status === 'processing' ? (pct !== null ? `Rendering · ${pct}%` : 'Rendering')
          : status === 'completed' ? '' : STATUS_LABELS[status];

      const play = $(el, '[data-play]');
      const playable = status === 'completed' && Boolean(video.video_url);
      play.hidden = !playable || Boolean($(media, 'video'));
      play.setAttribute('aria-label', `Play ${type} video`);

      const bar = $(el, '[data-card-progress]');
      bar.hidden = !(status === 'processing' && pct !== null);
      $(bar, '[data-card-progress-bar]').style.width = `${pct || 0}%`;

      $(el, '[data-type-badge]').textContent = type;
      const badge = $(el, '[data-status-badge]');
      badge.className = `badge status status-${status}`;
      badge.textContent = status === 'processing' && pct !== null ? `Processing ${pct}%` : STATUS_LABELS[status];

      const prompt = $(el, '[data-prompt]');
      prompt.textContent = video.prompt;
      prompt.title = video.prompt;
      this.renderAge(el, video);
      const meta = [];
      // Length and size describe a finished file; a failed or canceled video has neither.
      if (video.status === 'completed' || video.status === 'pending' || video.status === 'processing') {
        if (video.duration) meta.push(`${video.duration}s`);
        if (video.resolution) meta.push(video.resolution);
      }
      $(el, '[data-meta]').textContent = meta.length ? ` · ${meta.join(' · ')}` : '';

      const error = $(el, '[data-error]');
      error.hidden = status !== 'failed' || !video.error_message;
      error.textContent = video.error_message || '';

      const download = $(el, '[data-card-download]');
      download.hidden = !(status === 'completed' && video.download_url);
      if (video.download_url) download.href = video.download_url;
      else download.removeAttribute('href');
      download.setAttribute('aria-label', `Download ${type} video`);

      const cancel = $(el, '[data-card-cancel]');
      cancel.hidden = !(this.ctx.canManage && running);
      cancel.setAttribute('aria-label', `Cancel ${type} video`);
      const del = $(el, '[data-card-delete]');
      del.hidden = !this.ctx.canManage;
      del.setAttribute('aria-label', `Delete ${type} video`);
      const actions = $(el, '[data-actions]');
      actions.hidden = $$(actions, 'a, button').every((control) => control.hidden);
    }

    play(id) {
      const card = this.cards.get(id);
      if (!card || !card.video.video_url) return;
      const media = $(card.el, '[data-media]');
      const video = make('video', 'video-player');
      video.controls = true;
      video.playsInline = true;
      video.preload = 'auto';
      if (card.video.thumbnail_url) video.poster = card.video.thumbnail_url;
      video.src = card.video.video_url;
      video.setAttribute('aria-label', `${TYPE_LABELS[card.video.video_type] || 'Video'} video`);
      $(media, '[data-play]').hidden = true;
      $(media, '[data-poster]').hidden = true;
      $(media, '[data-placeholder]').hidden = true;
      media.append(video);
      video.focus();
      const started = video.play();
      if (started && typeof started.catch === 'function') started.catch(() => { /* the controls stay usable */ });
    }

    async deleteVideo(id) {
      const card = this.cards.get(id);
      if (!card) return;
      const type = TYPE_LABELS[card.video.video_type] || 'this';
      const ok = await confirmAction({
        title: `Delete this ${type} video?`,
        text: 'The video and its files are removed for everyone. This cannot be undone.',
        ok: 'Delete',
      });
      if (!ok) return;
      try {
        await api('DELETE', `/api/v1/videos/${encodeURIComponent(id)}`);
        this.remove(id);
        this.live.watched.delete(id);
        toast('Video deleted.', { kind: 'info' });
      } catch (err) {
        if (err.status === 404) this.remove(id);
        else toast(err.message);
      }
    }

    async cancelVideo(id) {
      try {
        const result = await api('POST', `/api/v1/videos/${encodeURIComponent(id)}/cancel`);
        this.live.emit(result.video);
        toast(result.message, { kind: result.outcome === 'canceled' ? 'info' : 'warning' });
      } catch (err) {
        toast(err.message);
        if (err.status === 409) this.live.refreshWatched();
      }
    }
  }

  // --- the video creation dialog ---------------------------------------------------------------------------

  class VideoDialog {
    constructor(dialog, ctx, live) {
      this.dialog = dialog;
      this.ctx = ctx;
      this.live = live;
      this.form = $(dialog, '[data-stage="form"]');
      this.type = $(dialog, '#vd-type');
      this.prompt = $(dialog, '#vd-prompt');
      this.model = $(dialog, '#vd-model');
      this.duration = $(dialog, '#vd-duration');
      this.resolution = $(dialog, '#vd-resolution');
      this.aspect = $(dialog, '#vd-aspect');
      this.useAvatar = $(dialog, '[data-use-avatar]');
      this.generate = $(dialog, '[data-generate]');
      this.formError = $(dialog, '[data-form-error]');
      this.models = null;
      this.generated = '';
      this.previewSeq = 0;
      this.current = null; // the video this dialog is showing
      this.mine = new Set(); // videos created from this dialog, to report their failures
      this.lastOrder = null;
      this.opener = null;

      trapFocus(dialog);
      dialog.addEventListener('cancel', (event) => {
        event.preventDefault();
        this.close();
      });
      dialog.addEventListener('click', (event) => {
        if (event.target === dialog) this.close(); // a click on the backdrop
      });
      $$(dialog, '[data-dialog-close]').forEach((button) => button.addEventListener('click', () => this.close()));
      this.type.addEventListener('change', () => this.onTypeChange());
      this.prompt.addEventListener('input', () => this.updateEdited());
      $(dialog, '[data-prompt-reset]').addEventListener('click', () => {
        this.prompt.value = this.generated;
        this.updateEdited();
        this.prompt.focus();
      });
      this.model.addEventListener('change', () => this.onModelChange());
      this.form.addEventListener('submit', (event) => {
        event.preventDefault();
        this.submit(this.order());
      });
      $(dialog, '[data-create-another]').addEventListener('click', () => this.showForm(true));
      $(dialog, '[data-edit-again]').addEventListener('click', () => this.showForm(false));
      $(dialog, '[data-retry]').addEventListener('click', () => this.submit(this.lastOrder));
      live.subscribe((event) => this.onLive(event));
    }

    isOpen() {
      return this.dialog.open;
    }

    async open(opener, presetType) {
      this.opener = opener || document.activeElement;
      this.current = null;
      if (presetType && TYPE_LABELS[presetType]) this.type.value = presetType;
      this.stage('form');
      this.formError.hidden = true;
      if (!this.dialog.open) this.dialog.showModal();
      this.type.focus();
      await this.ensureModels();
      await this.onTypeChange();
    }

    close() {
      if (this.dialog.open) this.dialog.close();
      const video = $(this.dialog, '[data-player] video');
      if (video) video.pause();
      if (this.opener && document.contains(this.opener)) this.opener.focus();
    }

    stage(name) {
      $$(this.dialog, '[data-stage]').forEach((section) => { section.hidden = section.dataset.stage !== name; });
      this.dialog.dataset.state = name;
      const titles = { form: 'Create video', running: 'Rendering your video', done: 'Your video is ready', failed: 'The video failed' };
      $(this.dialog, '[data-dialog-title]').textContent = titles[name];
    }

    async ensureModels() {
      if (this.models) return;
      try {
        this.models = await api('GET', '/api/v1/models');
      } catch (err) {
        this.models = [];
        this.showFormError(err.message);
      }
      this.model.replaceChildren();
      this.models.forEach((model) => {
        const option = make('option', '', model.label);
        option.value = model.id;
        this.model.append(option);
      });
      const preferred = this.models.find((model) => model.is_default) || this.models[0];
      if (preferred) this.model.value = preferred.id;
      this.onModelChange();
    }

    selectedModel() {
      return (this.models || []).find((model) => model.id === this.model.value) || null;
    }

    fillSelect(select, values, format, preferred) {
      const previous = select.value;
      select.replaceChildren();
      if (values.length === 0) {
        // Some models pick resolution or framing themselves.
        const option = make('option', '', 'Model decides');
        option.value = '';
        select.append(option);
        select.disabled = true;
        return;
      }
      select.disabled = false;
      values.forEach((value) => {
        const option = make('option', '', format(value));
        option.value = String(value);
        select.append(option);
      });
      const keep = values.map(String);
      select.value = keep.includes(previous) ? previous : (keep.includes(String(preferred)) ? String(preferred) : keep[0]);
    }

    onModelChange() {
      const model = this.selectedModel();
      const description = $(this.dialog, '[data-model-description]');
      if (!model) {
        description.textContent = '';
        return;
      }
      description.textContent = model.description || '';
      this.fillSelect(this.duration, model.durations, (s) => `${s} seconds`, 5);
      const resolutions = ['1080p', '720p'];
      this.fillSelect(this.resolution, model.resolutions.filter((r) => resolutions.includes(r)), (r) => r, '1080p');
      const ratios = { '16:9': '16:9 · landscape', '9:16': '9:16 · portrait', '1:1': '1:1 · square' };
      this.fillSelect(this.aspect, model.aspect_ratios.filter((r) => r in ratios), (r) => ratios[r], '16:9');
      this.updateSource();
    }

    updateSource() {
      const model = this.selectedModel();
      const box = $(this.dialog, '[data-source-image]');
      const canAnimate = Boolean(this.ctx.avatarUrl) && Boolean(model && (model.accepts_image || model.needs_image));
      box.hidden = !canAnimate;
      if (canAnimate) {
        const img = $(box, '[data-source-avatar]');
        if (img.getAttribute('src') !== this.ctx.avatarUrl) img.src = this.ctx.avatarUrl;
        img.alt = `${this.ctx.botName}'s avatar`;
        this.useAvatar.disabled = Boolean(model.needs_image);
        if (model.needs_image) this.useAvatar.checked = true;
      }
      const hint = $(this.dialog, '[data-source-hint]');
      hint.textContent = model && model.needs_image
        ? `${model.label} animates an image: the avatar is required.`
        : 'The avatar is the first frame; the model brings it to life.';
    }

    async onTypeChange() {
      const type = this.type.value;
      const option = this.type.selectedOptions[0];
      $(this.dialog, '[data-type-description]').textContent = option ? option.dataset.description : '';
      const custom = type === 'custom';
      $(this.dialog, '[data-prompt-label]').textContent = custom ? 'Your prompt' : 'Prompt';
      $(this.dialog, '[data-prompt-hint]').textContent = custom
        ? 'Describe the scene: subject, camera movement, light and mood.'
        : "Written from your bot's profile. Edit it to make your own version (sent as a Custom video).";
      this.prompt.placeholder = custom ? 'A slow aerial shot over a neon city at night…' : '';
      this.useAvatar.checked = type === 'intro' && Boolean(this.ctx.avatarUrl);
      this.updateSource();
      if (custom) {
        if (this.prompt.value === this.generated) this.prompt.value = '';
        this.generated = '';
        this.updateEdited();
        return;
      }
      const seq = ++this.previewSeq;
      this.prompt.disabled = true;
      this.generate.disabled = true;
      try {
        const preview = await api('POST', `/api/v1/communities/${encodeURIComponent(this.ctx.botId)}/prompt-preview`, { video_type: type });
        if (seq !== this.previewSeq) return;
        this.generated = preview.prompt;
        this.prompt.value = preview.prompt;
        this.useAvatar.checked = Boolean(preview.uses_avatar);
        this.updateSource();
      } catch (err) {
        if (seq === this.previewSeq) this.showFormError(err.message);
      } finally {
        if (seq === this.previewSeq) {
          this.prompt.disabled = false;
          this.generate.disabled = false;
          this.updateEdited();
        }
      }
    }

    isEdited() {
      return this.type.value !== 'custom' && this.prompt.value.trim() !== this.generated.trim();
    }

    updateEdited() {
      const edited = this.isEdited();
      $(this.dialog, '[data-prompt-edited]').hidden = !edited;
      $(this.dialog, '[data-prompt-reset]').hidden = !edited;
    }

    showFormError(message) {
      this.formError.textContent = message;
      this.formError.hidden = !message;
    }

    order() {
      const type = this.type.value;
      const text = this.prompt.value.trim();
      // An edited generated prompt is the user's own words now: it is sent as a custom video.
      const custom = type === 'custom' || this.isEdited();
      const order = { video_type: custom ? 'custom' : type };
      if (custom) order.custom_prompt = text;
      if (this.model.value) order.model = this.model.value;
      if (this.duration.value) order.duration = Number(this.duration.value);
      if (!this.resolution.disabled && this.resolution.value) order.resolution = this.resolution.value;
      if (!this.aspect.disabled && this.aspect.value) order.aspect_ratio = this.aspect.value;
      if (!$(this.dialog, '[data-source-image]').hidden) order.use_avatar = this.useAvatar.checked;
      return order;
    }

    async submit(order) {
      if (!order) return;
      if (order.video_type === 'custom' && !order.custom_prompt) {
        this.stage('form');
        this.showFormError('Write a prompt for a custom video.');
        this.prompt.focus();
        return;
      }
      this.showFormError('');
      this.lastOrder = order;
      this.generate.disabled = true;
      const retry = $(this.dialog, '[data-retry]');
      retry.disabled = true;
      try {
        const video = await api('POST', `/api/v1/communities/${encodeURIComponent(this.ctx.botId)}/videos`, order);
        this.mine.add(video.id);
        this.current = video.id;
        this.stage('running');
        this.showVideo(video);
        this.live.watch(video);
        this.live.emit(video); // the gallery shows the new card at once
        $(this.dialog, '[data-dialog-close]').focus();
      } catch (err) {
        if (this.dialog.dataset.state !== 'form') this.stage('form');
        this.showFormError(err.message);
      } finally {
        this.generate.disabled = false;
        retry.disabled = false;
      }
    }

    onLive(event) {
      if (event.kind !== 'video') return;
      const video = event.video;
      if (this.mine.has(video.id) && video.status === 'failed') {
        this.mine.delete(video.id);
        const order = this.lastOrder;
        toast(video.error_message || 'The video failed.', {
          kind: 'error',
          actionLabel: 'Retry',
          onAction: () => {
            if (!this.dialog.open) this.dialog.showModal();
            this.submit(order);
          },
        });
      } else if (this.mine.has(video.id) && TERMINAL.has(video.status)) {
        this.mine.delete(video.id);
      }
      if (video.id === this.current) this.showVideo(video);
    }

    showVideo(video) {
      const status = video.status;
      if (status === 'pending' || status === 'processing') {
        if (this.dialog.dataset.state !== 'running') this.stage('running');
        const pct = percent(video.progress);
        $(this.dialog, '[data-running-status]').textContent = status === 'pending' ? 'Queued' : 'Rendering';
        $(this.dialog, '[data-running-detail]').textContent = `${TYPE_LABELS[video.video_type]} · ${video.model}`;
        $(this.dialog, '[data-progress-figure]').textContent = pct !== null ? `${pct}%` : '';
        const bar = $(this.dialog, '[data-progress-bar]');
        const track = $(this.dialog, '[data-progress-track]');
        track.classList.toggle('progress-indeterminate', pct === null);
        bar.style.width = pct !== null ? `${pct}%` : '';
        if (pct !== null) bar.setAttribute('aria-valuenow', String(pct));
        else bar.removeAttribute('aria-valuenow');
      } else if (status === 'completed') {
        if (this.dialog.dataset.state === 'done' && $(this.dialog, '[data-player] video')) return;
        this.stage('done');
        const player = $(this.dialog, '[data-player]');
        const element = make('video', 'video-player');
        element.controls = true;
        element.playsInline = true;
        element.autoplay = true;
        element.muted = true; // autoplay is allowed muted; the controls unmute
        element.preload = 'auto';
        if (video.thumbnail_url) element.poster = video.thumbnail_url;
        element.src = video.video_url;
        element.setAttribute('aria-label', `${TYPE_LABELS[video.video_type]} video`);
        player.style.aspectRatio = aspectRatio(video.aspect_ratio);
        player.replaceChildren(element);
        const download = $(this.dialog, '[data-download]');
        download.href = video.download_url;
        download.setAttribute('aria-label', `Download ${TYPE_LABELS[video.video_type]} video`);
        const facts = [TYPE_LABELS[video.video_type], video.duration ? `${video.duration}s` : '', video.resolution || ''];
        $(this.dialog, '[data-done-detail]').textContent = facts.filter(Boolean).join(' · ');
        if (this.dialog.open) $(this.dialog, '[data-create-another]').focus();
      } else if (status === 'failed' || status === 'canceled') {
        this.stage('failed');
        $(this.dialog, '[data-failed-message]').textContent = status === 'canceled'
          ? 'It was canceled.'
          : (video.error_message || 'Something went wrong.');
        if (this.dialog.open) $(this.dialog, '[data-retry]').focus();
      }
    }

    showForm(fresh) {
      this.current = null;
      const player = $(this.dialog, '[data-player]');
      player.replaceChildren();
      this.stage('form');
      this.type.focus();
      if (fresh) this.onTypeChange();
    }
  }

  // --- onboarding steps ------------------------------------------------------------------------------------

  function setUpWizard(form) {
    const steps = $$(form, '[data-step]');
    const markers = $$(form, '[data-step-marker]');
    const back = $(form, '[data-wizard-back]');
    const next = $(form, '[data-wizard-next]');
    const submit = $(form, '[data-wizard-submit]');
    let current = 0;
    const show = (index) => {
      current = index;
      steps.forEach((step, i) => { step.hidden = i !== index; });
      markers.forEach((marker, i) => {
        marker.classList.toggle('done', i < index);
        if (i === index) marker.setAttribute('aria-current', 'step');
        else marker.removeAttribute('aria-current');
      });
      back.hidden = index === 0;
      next.hidden = index === steps.length - 1;
      submit.hidden = index !== steps.length - 1;
    };
    const valid = () => $$(steps[current], 'input, textarea').every((field) => field.reportValidity());
    next.addEventListener('click', () => {
      if (!valid()) return;
      show(current + 1);
      const first = $(steps[current], 'input, textarea');
      if (first) first.focus();
    });
    back.addEventListener('click', () => show(current - 1));
    form.addEventListener('keydown', (event) => {
      // Enter in a text field moves on rather than submitting half a bot.
      if (event.key === 'Enter' && event.target.tagName === 'INPUT' && current < steps.length - 1) {
        event.preventDefault();
        next.click();
      }
    });
    const fileInput = $(form, 'input[type="file"]');
    const preview = $(form, '[data-avatar-preview]');
    if (fileInput && preview) {
      fileInput.addEventListener('change', () => {
        const file = fileInput.files && fileInput.files[0];
        if (file && file.type.startsWith('image/')) {
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
        } else {
          preview.hidden = true;
        }
      });
    }
    show(0);
  }

  // --- start -----------------------------------------------------------------------------------------------

  function start() {
    $$(document, '[data-wizard]').forEach(setUpWizard);
    const page = document.querySelector('[data-bot-id]');
    if (!page) return;
    const ctx = {
      botId: page.dataset.botId,
      botName: page.dataset.botName,
      canManage: page.dataset.canManage === 'true',
      avatarUrl: page.dataset.avatarUrl || '',
    };
    const live = new Live(ctx.botId);
    const galleryRoot = document.querySelector('[data-gallery]');
    if (galleryRoot) new Gallery(galleryRoot, ctx, live);
    const dialogEl = document.querySelector('[data-video-dialog]');
    if (dialogEl && ctx.canManage) {
      const dialog = new VideoDialog(dialogEl, ctx, live);
      document.addEventListener('click', (event) => {
        const opener = event.target.closest('[data-open-video-dialog]');
        if (opener) dialog.open(opener, opener.dataset.videoType);
      });
      window.botvideo = { dialog, live };
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
