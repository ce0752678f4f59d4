/**
 * The web chat page (official botframework-webchat, served from our own server, no CDN) and the
 * printable checklist page a volunteer can print or show.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as restify from 'restify';
import type { ChecklistService } from '../../services/checklist-service';
import { sendError } from '../../http/errors';
import { localDate } from '../../domain/calendar/vietnam-time';
import { formatDate } from '../../domain/dossier/dossier';

function webchatBundlePath(): string {
  // The package's exports hide dist/; its entry point sits in lib/ beside it.
  return join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// The hash of the empty string: one of Web Chat's libraries adds an empty <style> without the nonce
// (the only violation Chromium reports); allowing an empty style allows nothing else.
const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * What the pages may load (security audit 4.4): scripts only from this server (no inline script, so an
 * injected one cannot run), styles from this server or carrying this response's nonce (Web Chat
 * injects its styles with it), no images but inline data (a markdown image in a message cannot fetch a
 * URL, not even one of our own GET routes), requests only to this server, and no framing
 * (clickjacking of the booking chat).
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE_HASH}'`,
    'img-src data: blob:',
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers of an HTML page: its policy, and no framing for browsers that predate frame-ancestors. */
function pageHeaders(nonce: string, cacheControl: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': cacheControl,
    'content-security-policy': contentSecurityPolicy(nonce),
    'x-frame-options': 'DENY',
  };
}

const newNonce = () => randomBytes(16).toString('base64');

// The chat page, held to WCAG 2.1 AA (tests/e2e/webchat-a11y.e2e.test.ts runs axe-core on it with a
// conversation in it): a language, a banner with the page's one heading, the chat as the main
// landmark, white on #b71c1c (6.6:1), a focus ring on everything that takes focus, and suggested-action
// buttons that wrap instead of cutting a long title ("Chi nhánh số 1 – Trung tâm Phục vụ h…") and are
// 44 px high at least, the touch-target size. The column is a flex box so that at 200% zoom a header
// that wraps onto more lines never pushes the send box off the screen.
const page = (nonce: string) => `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trợ lý Một Cửa</title>
<link rel="icon" href="data:,">
<style id="page-style" nonce="${nonce}">
  html, body { height: 100%; margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f8; }
  body { display: flex; flex-direction: column; }
  header { flex: none; background: #b71c1c; color: #fff; padding: 10px 16px; }
  header h1 { margin: 0; font-size: 17px; font-weight: 600; }
  header p { margin: 0; font-size: 13px; }
  #webchat { flex: 1; min-height: 0; width: 100%; max-width: 760px; margin: 0 auto; background: #fff; }
  #error { display: none; padding: 16px; color: #b71c1c; }
  a:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  #webchat .webchat__suggested-action { white-space: normal; height: auto; min-height: 44px; padding-top: 6px; padding-bottom: 6px; }
  #webchat .webchat__suggested-action__text { white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere; text-align: center; }
</style>
</head>
<body>
<header><h1>Trợ lý Một Cửa</h1><p>Trung tâm Phục vụ hành chính công: tìm thủ tục, kiểm tra giấy tờ, đặt lịch, tra cứu hồ sơ</p></header>
<main id="webchat" aria-label="Trò chuyện với trợ lý"></main>
<div id="error" role="alert"></div>
<script src="/webchat/webchat.js"></script>
<script src="/webchat/app.js"></script>
</body>
</html>`;

/** The longest message the Direct Line endpoint accepts (its activity schema, directline-routes.ts). */
const MAX_MESSAGE_CHARS = 2000;

/**
 * The page's own script, served as a file so the policy needs no inline script. It asks for a token,
 * takes the user id the server issues with it (never one the page makes up), and renders Web Chat
 * with the page's style nonce.
 */
const APP_SCRIPT = `(function () {
  'use strict';
  var MAX_MESSAGE = ${MAX_MESSAGE_CHARS};
  var notice = document.getElementById('error');
  var nonce = document.getElementById('page-style').nonce;
  async function start() {
    var res;
    try {
      res = await fetch('/v3/directline/tokens/generate', { method: 'POST' });
    } catch (e) {
      res = null;
    }
    if (!res || !res.ok) {
      // The assistant is temporarily unavailable: say so politely and try again by itself.
      var failed = res ? await res.json().catch(function () { return null; }) : null;
      notice.textContent = ((failed && failed.error && failed.error.message) || 'Không kết nối được trợ lý.') + ' Trang sẽ tự kết nối lại.';
      notice.style.display = 'block';
      setTimeout(start, 10000);
      return;
    }
    notice.style.display = 'none';
    var body = await res.json();
    var directLine = window.WebChat.createDirectLine({ token: body.token, domain: location.origin + '/v3/directline', webSocket: true });
    var props = {
      directLine: directLine,
      locale: 'vi-VN',
      nonce: nonce,
      // What a screen reader says and the send box shows, in the assistant's own polite register
      // ("ông/bà", never "bạn"), and the bot named as the assistant rather than "Bot MC".
      overrideLocalizedStrings: {
        TEXT_INPUT_PLACEHOLDER: 'Ông/bà gõ câu hỏi tại đây',
        TEXT_INPUT_ALT: 'Câu hỏi gửi trợ lý',
        TEXT_INPUT_SEND_BUTTON_ALT: 'Gửi câu hỏi',
        SEND_BOX_IS_EMPTY_TOOLTIP_ALT: 'Chưa có nội dung để gửi.',
        ACTIVITY_BOT_SAID_ALT: 'Trợ lý Một Cửa nói:',
        ACTIVITY_YOU_SAID_ALT: 'Ông/bà đã nói:'
      },
      styleOptions: {
        bubbleBorderRadius: 12, bubbleFromUserBorderRadius: 12, bubbleFromUserBackground: '#ffebee',
        suggestedActionLayout: 'flow', suggestedActionsStackedHeight: 200, suggestedActionHeight: 44, hideUploadButton: true,
        sendBoxTextWrap: true, botAvatarInitials: 'MC', primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
      }
    };
    if (typeof body.userId === 'string' && body.userId) props.userID = body.userId;
    var root = document.getElementById('webchat');
    window.WebChat.renderWebChat(props, root);
    // The server takes at most MAX_MESSAGE characters; beyond that Web Chat only says "Đã không gửi
    // được. Thử lại.", which can never work. So the box itself stops there (set again whenever focus
    // enters the chat, in case Web Chat renders a new box).
    var limit = function () {
      var boxes = root.querySelectorAll('textarea, input[type="text"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].maxLength = MAX_MESSAGE;
    };
    root.addEventListener('focusin', limit);
    limit();
    var box = root.querySelector('input, textarea');
    if (box) box.focus();
  }
  start();
})();
`;

/** The printable checklist's button, bound here instead of an inline onclick the policy would block. */
const CHECKLIST_SCRIPT = `document.getElementById('print').addEventListener('click', function () { window.print(); });
`;

const script = (res: restify.Response, source: string) => {
  res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(source);
};

/** The chat page and its scripts: served even while the store does not answer (the page says so). */
export function registerWebChatPage(server: restify.Server): void {
  let bundle: Buffer | null = null;

  server.get('/', async (_req: restify.Request, res: restify.Response) => {
    const nonce = newNonce();
    res.writeHead(200, pageHeaders(nonce, 'no-cache'));
    res.end(page(nonce));
  });

  server.get('/webchat/webchat.js', async (_req: restify.Request, res: restify.Response) => {
    bundle ??= readFileSync(webchatBundlePath());
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' });
    res.end(bundle);
  });
  server.get('/webchat/app.js', async (_req: restify.Request, res: restify.Response) => script(res, APP_SCRIPT));
  server.get('/webchat/checklist.js', async (_req: restify.Request, res: restify.Response) => script(res, CHECKLIST_SCRIPT));
}

/** A checklist completed in the chat, as a page to print or show at the counter. */
export function registerChecklistPage(server: restify.Server, checklists: ChecklistService): void {
  server.get('/checklists/:id', async (req: restify.Request, res: restify.Response) => {
    const checklist = await checklists.get(String(req.params.id));
    if (!checklist) return void sendError(res, 404, 'not_found', 'Không có danh sách này.');
    const mark = { yes: '✔ Đã có', no: '✘ Còn thiếu', unsure: '? Cần hỏi lại' } as const;
    const rows = checklist.items
      .map((i) => `<tr class="${i.answer}"><td>${escape(i.name)}</td><td>${[i.originals ? `${i.originals} bản chính` : '', i.copies ? `${i.copies} bản sao` : ''].filter(Boolean).join(' + ') || ''}</td><td>${mark[i.answer]}</td></tr>`)
      .join('');
    const missing = checklist.items.filter((i) => i.answer === 'no').length;
    const unsure = checklist.items.filter((i) => i.answer === 'unsure').length;
    // "Complete" only when nothing is missing and nothing is left to ask about at the counter.
    const summary =
      (missing > 0 ? `Còn thiếu ${missing} giấy tờ.` : unsure > 0 ? 'Chưa thấy thiếu giấy tờ nào.' : 'Đã đủ giấy tờ theo danh sách chính thức.') +
      (unsure > 0 ? ` Còn ${unsure} giấy tờ cần hỏi lại tại quầy.` : '');
    const nonce = newNonce();
    const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Danh sách giấy tờ: ${escape(checklist.procedureName)}</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;margin:16px;max-width:900px;line-height:1.4}table{border-collapse:collapse;width:100%}td,th{border:1px solid #767676;padding:6px;vertical-align:top;text-align:left}
td+td,th+th{width:1%;white-space:nowrap}tr.no td:last-child{color:#b71c1c;font-weight:600}tr.unsure td:last-child{color:#a84300;font-weight:600}
button{font:inherit;min-height:44px;padding:8px 16px}button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}@media print{button{display:none}}</style></head><body>
<main>
<h1>Danh sách giấy tờ cần chuẩn bị</h1>
<p><strong>${escape(checklist.procedureName)}</strong> (mã ${escape(checklist.procedureCode)})${checklist.caseName ? `<br>Trường hợp: ${escape(checklist.caseName)}` : ''}</p>
<p>${summary}${checklist.forSomeoneElse ? ' (Lập bởi tình nguyện viên cho người được hướng dẫn.)' : ''}</p>
<table><thead><tr><th scope="col">Giấy tờ</th><th scope="col">Số lượng</th><th scope="col">Tình trạng</th></tr></thead><tbody>${rows}</tbody></table>
<p><small>Lập ngày ${escape(formatDate(localDate(new Date(checklist.createdAt))))} theo thành phần hồ sơ công bố trên Cổng Dịch vụ công quốc gia. Mang theo bản chính để đối chiếu khi nộp bản sao.</small></p>
<button id="print" type="button">In danh sách</button>
</main><script src="/webchat/checklist.js"></script></body></html>`;
    // The list is someone's own documents: never kept by a browser or proxy cache.
    res.writeHead(200, pageHeaders(nonce, 'no-store'));
    res.end(html);
  });
}
