// One tap to subscribe anywhere: Google (add by URL), Apple (webcal),
// Outlook.com (add from web), Outlook desktop (webcal), copy link, and a QR
// code of the address for moving it from a laptop to a phone. Knows only a
// calendar's address and name, so any calendar of the site can use it.
import { generate } from 'lean-qr/nano';
import { el } from './dom.js';
import { subscribeLinks } from './logic.js';

export interface SubscribeTarget {
  /** The calendar's absolute http(s) address. */
  url: string;
  /** Its name, as Outlook.com shows it. */
  label: string;
}

const LINKS = [
  { key: 'google', text: 'Google Calendar', external: true },
  { key: 'webcal', text: 'Apple (iPhone, Mac)', external: false },
  { key: 'outlook-com', text: 'Outlook.com', external: true },
  { key: 'outlook', text: 'Outlook (desktop)', external: false },
] as const;

/**
 * Fills `container` with the subscribe buttons for `target`; with null, the
 * same buttons inert (no link, aria-disabled, out of the tab order), so the
 * layout does not move when a calendar is chosen. Ids are `{idPrefix}google`,
 * `webcal`, `outlook-com`, `outlook`, `copy`, `copy-status`, `feed-url`, `qr`.
 */
export function renderSubscribe(container: HTMLElement, target: SubscribeTarget | null, idPrefix = ''): void {
  const links = target ? subscribeLinks(target.url, target.label) : null;
  const hrefs: Record<(typeof LINKS)[number]['key'], string | undefined> = {
    google: links?.google,
    webcal: links?.webcal,
    'outlook-com': links?.outlookCom,
    outlook: links?.webcal,
  };
  const buttons = LINKS.map(({ key, text, external }) => {
    const a = el('a', { className: 'button', text });
    a.id = `${idPrefix}${key}`;
    const href = hrefs[key];
    if (href) a.href = href;
    else a.setAttribute('aria-disabled', 'true');
    if (external) Object.assign(a, { target: '_blank', rel: 'noopener' });
    return a;
  });
  const copy = Object.assign(el('button', { text: 'Copy link' }), { type: 'button', id: `${idPrefix}copy`, disabled: !links });
  const status = Object.assign(el('span'), { id: `${idPrefix}copy-status` });
  status.setAttribute('aria-live', 'polite');
  copy.addEventListener('click', () => {
    if (!links) return;
    void navigator.clipboard?.writeText(links.https).then(
      () => (status.textContent = 'Link copied.'),
      () => (status.textContent = `Copy this link: ${links.https}`),
    );
  });
  const address = Object.assign(el('code', { text: links?.https ?? '' }), { id: `${idPrefix}feed-url` });
  const line = el('p', { className: 'muted feed-line' }, 'Subscription address: ', address);
  line.id = `${idPrefix}feed-line`;
  line.hidden = !links;
  const qr = Object.assign(el('canvas', { className: 'qr' }), { id: `${idPrefix}qr` });
  qr.setAttribute('role', 'img');
  qr.setAttribute('aria-label', links ? `QR code of ${links.https}` : 'QR code (choose a calendar first)');
  if (links) generate(links.https).toCanvas(qr);
  const figure = el('figure', { className: 'qr-box' }, qr, el('figcaption', { className: 'muted', text: 'Scan with a phone to subscribe there.' }));
  figure.hidden = !links;
  container.replaceChildren(el('p', { className: 'subscribe-buttons' }, ...buttons, copy, ' ', status), line, figure);
}
