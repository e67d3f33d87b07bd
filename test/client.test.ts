// The HTTP client against every fault nock can stage, with its first
// attempt sent by axios and by a run's first requests (node:http), and the
// first requests themselves.
import { expect } from 'chai';
import nock from 'nock';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cachedValidators, cachingClient } from '../src/net/cache.js';
import { FetchError, createHttpClient, retryAfterMs, retryLine, type HttpClient, type HttpClientOptions } from '../src/net/client.js';
import { sendFirstRequests } from '../src/net/first-requests.js';
import { requestHeaders } from '../src/net/wire.js';

const ORIGIN = 'http://faults.test';

const USER_AGENT = 'orar-cal/test';

/** A client as a run makes it; `sentFirst`: URLs whose first attempt went out before it, over node:http. */
function client(over: Partial<HttpClientOptions> = {}, sentFirst: readonly string[] = []) {
  const sleeps: number[] = [];
  const timeoutMs = over.timeoutMs ?? 2000;
  const firstRequests = sentFirst.length > 0 ? sendFirstRequests(sentFirst, { userAgent: USER_AGENT, timeoutMs, maxBytes: 10_000, validators: () => ({}) }) : undefined;
  const http = createHttpClient({
    userAgent: USER_AGENT,
    timeoutMs,
    maxBytes: 10_000,
    firstRequests,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...over,
  });
  return { http, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected a failure');
}

/** For each test of the calling suite: nock with no real network, and a fresh folder (`tmp.dir`). */
function nockAndFolder(prefix: string): { dir: string } {
  const tmp = { dir: '' };
  beforeEach(async () => {
    nock.disableNetConnect();
    tmp.dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await rm(tmp.dir, { recursive: true, force: true });
  });
  return tmp;
}

for (const firstBy of ['axios', 'a first request (node:http)'] as const) {
  describe(`HTTP client, its first attempt sent by ${firstBy}`, () => {
    /** The URLs whose first attempt is a first request, in this round. */
    const first = (...urls: string[]): string[] => (firstBy === 'axios' ? [] : urls);

    beforeEach(() => nock.disableNetConnect());
    afterEach(function () {
      const left = nock.pendingMocks();
      nock.cleanAll();
      nock.enableNetConnect();
      // Each staged answer was asked for: a first request the client ignored would leave one over.
      if (this.currentTest?.state === 'passed') expect(left, 'staged answers nobody asked for').to.deep.equal([]);
    });

    it('retries a 503 with exponential backoff, then succeeds, and says so', async () => {
      nock(ORIGIN).get('/p').times(2).reply(503, 'busy').get('/p').reply(200, 'ok');
      const { http, sleeps } = client({}, first(`${ORIGIN}/p`));
      const result = await http.get(`${ORIGIN}/p`);
      expect(result.body.toString()).to.equal('ok');
      expect(sleeps).to.deep.equal([100, 200]);
      expect(result.retries!.map((r) => [r.attempt, r.reason])).to.deep.equal([
        [1, `${ORIGIN}/p: HTTP 503 Service Unavailable`],
        [2, `${ORIGIN}/p: HTTP 503 Service Unavailable`],
      ]);
    });

    it('honours Retry-After on 429, capped', async () => {
      nock(ORIGIN).get('/p').reply(429, 'slow down', { 'Retry-After': '2' }).get('/p').reply(429, '', { 'Retry-After': '120' }).get('/p').reply(200, 'ok');
      const { http, sleeps } = client({}, first(`${ORIGIN}/p`));
      await http.get(`${ORIGIN}/p`);
      expect(sleeps).to.deep.equal([2000, 5000]);
    });

    it('gives up after the last attempt, naming the URL and the count', async () => {
      nock(ORIGIN).get('/p').times(3).reply(500, 'broken');
      const { http } = client({}, first(`${ORIGIN}/p`));
      const error = await failure(http.get(`${ORIGIN}/p`));
      expect(error.message).to.equal(`${ORIGIN}/p: HTTP 500 Internal Server Error (after 3 attempts)`);
      expect(error.retries).to.have.length(2);
    });

    it('never retries a 404 or another 4xx', async () => {
      nock(ORIGIN).get('/missing').reply(404, 'no').get('/forbidden').reply(403, 'no');
      const { http, sleeps } = client({}, first(`${ORIGIN}/missing`, `${ORIGIN}/forbidden`));
      expect((await failure(http.get(`${ORIGIN}/missing`))).message).to.equal(`${ORIGIN}/missing: HTTP 404 Not Found`);
      expect((await failure(http.get(`${ORIGIN}/forbidden`))).message).to.equal(`${ORIGIN}/forbidden: HTTP 403 Forbidden`);
      expect(sleeps).to.deep.equal([]);
    });

    it('retries a timeout: a server that never answers costs at most the timeout per attempt', async () => {
      nock(ORIGIN).get('/slow').times(2).delay(1000).reply(200, 'late');
      const { http, sleeps } = client({ timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100 } }, first(`${ORIGIN}/slow`));
      const started = Date.now();
      const error = await failure(http.get(`${ORIGIN}/slow`));
      expect(error.message).to.match(/slow: no answer within 0.1 s \(ECONNABORTED\) \(after 2 attempts\)$/);
      expect(Date.now() - started).to.be.lessThan(900);
      expect(sleeps).to.have.length(1);
    });

    it('retries a reset connection', async () => {
      nock(ORIGIN).get('/p').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).get('/p').reply(200, 'ok');
      const { http } = client({}, first(`${ORIGIN}/p`));
      const result = await http.get(`${ORIGIN}/p`);
      expect(result.body.toString()).to.equal('ok');
      expect(result.retries![0]!.reason).to.contain('connection reset');
    });

    it('refuses a body over the size cap, without retrying', async () => {
      nock(ORIGIN).get('/huge').reply(200, 'x'.repeat(20_000));
      const { http, sleeps } = client({}, first(`${ORIGIN}/huge`));
      const error = await failure(http.get(`${ORIGIN}/huge`));
      expect(error.message).to.equal(`${ORIGIN}/huge: response larger than 10000 bytes, refused`);
      expect(sleeps).to.deep.equal([]);
    });

    it('names itself with a User-Agent', async () => {
      nock(ORIGIN, { reqheaders: { 'user-agent': 'orar-cal/test' } }).get('/p').reply(200, 'ok');
      const { http } = client({}, first(`${ORIGIN}/p`));
      expect((await http.get(`${ORIGIN}/p`)).status).to.equal(200);
    });
  });
}

describe('HTTP client', () => {
  it('prints a retry once, naming the URL (its reason does) and the attempt to come', () => {
    expect(retryLine({ url: `${ORIGIN}/p`, attempt: 1, reason: `${ORIGIN}/p: HTTP 503 Service Unavailable`, delayMs: 1000 })).to.equal(
      `retry: ${ORIGIN}/p: HTTP 503 Service Unavailable; attempt 2 in 1.0 s`,
    );
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).to.equal(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).to.equal(10_000);
    expect(retryAfterMs('soon')).to.equal(undefined);
  });
});

describe('HTTP cache', () => {
  const tmp = nockAndFolder('orar-cal-cache-');

  it('sends the validators it has and reuses the cached body on 304', async () => {
    nock(ORIGIN).get('/p').reply(200, 'first body', { ETag: '"v1"', 'Last-Modified': 'Wed, 01 Oct 2025 10:00:00 GMT' });
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"' } }).get('/p').reply(304, '', { ETag: '"v1"' });
    const http = cachingClient(client().http, tmp.dir);
    const first = await http.get(`${ORIGIN}/p`);
    expect([first.status, first.fromCache]).to.deep.equal([200, undefined]);
    const second = await http.get(`${ORIGIN}/p`);
    expect(second.status).to.equal(304);
    expect(second.fromCache).to.equal(true);
    expect(second.body.toString()).to.equal('first body');
    await http.settled();
  });

  it('stores two answers for one URL at once one after the other: the body on disk is the one its validator names', async () => {
    let n = 0;
    const inner: HttpClient = {
      get: async (url) => {
        n += 1;
        const body = Buffer.from(`body ${n} `.repeat(20_000 * n));
        return { url, status: 200, body, contentType: 'text/html', etag: `"v${n}"`, lastModified: undefined };
      },
    };
    const http = cachingClient(inner, tmp.dir);
    await Promise.all([http.get(`${ORIGIN}/p`), http.get(`${ORIGIN}/p`)]);
    await http.settled();
    // Asked again, the cache sends the validator it kept and, on a 304, gives the body stored with it.
    let sent: string | undefined;
    const again = cachingClient({ get: async (url, options) => ((sent = options?.ifNoneMatch), { url, status: 304, body: Buffer.alloc(0), contentType: undefined, etag: sent, lastModified: undefined }) }, tmp.dir);
    const cached = await again.get(`${ORIGIN}/p`);
    expect(sent).to.be.oneOf(['"v1"', '"v2"']);
    const k = Number(sent!.slice(2, 3));
    expect(cached.body.equals(Buffer.from(`body ${k} `.repeat(20_000 * k)))).to.equal(true, `the body stored with "v${k}"`);
  });

  it('falls back to If-Modified-Since, and takes a new body when the page changed', async () => {
    nock(ORIGIN).get('/p').reply(200, 'old', { 'Last-Modified': 'Wed, 01 Oct 2025 10:00:00 GMT' });
    nock(ORIGIN, { reqheaders: { 'if-modified-since': 'Wed, 01 Oct 2025 10:00:00 GMT' } })
      .get('/p')
      .reply(200, 'new', { 'Last-Modified': 'Thu, 02 Oct 2025 10:00:00 GMT' });
    const http = cachingClient(client().http, tmp.dir);
    await http.get(`${ORIGIN}/p`);
    const second = await http.get(`${ORIGIN}/p`);
    expect(second.body.toString()).to.equal('new');
    expect(second.fromCache).to.equal(undefined);
    await http.settled();
    // The new body and its validator replaced the old ones on disk.
    nock(ORIGIN, { reqheaders: { 'if-modified-since': 'Thu, 02 Oct 2025 10:00:00 GMT' } }).get('/p').reply(304, '');
    expect(await cachingClient(client().http, tmp.dir).get(`${ORIGIN}/p`).then((r) => r.body.toString())).to.equal('new');
  });
});

describe("a run's first requests (node:http, before the client loads)", () => {
  const tmp = nockAndFolder('orar-cal-first-');

  it('go out at once, in order, and the first get() of each takes its answer: one request per URL; a later get() asks again', async () => {
    const asked: string[] = [];
    const scope = nock(ORIGIN)
      .get(/.*/)
      .times(3)
      .reply(function (uri) {
        asked.push(uri);
        return [200, `body of ${uri}`];
      });
    const { http } = client({}, [`${ORIGIN}/index`, `${ORIGIN}/legend`]);
    expect((await http.get(`${ORIGIN}/index`)).body.toString()).to.equal('body of /index');
    expect((await http.get(`${ORIGIN}/legend`)).body.toString()).to.equal('body of /legend');
    expect(asked).to.deep.equal(['/index', '/legend']);
    expect((await http.get(`${ORIGIN}/index`)).body.toString()).to.equal('body of /index');
    expect(asked).to.deep.equal(['/index', '/legend', '/index']);
    expect(scope.isDone()).to.equal(true);
  });

  it("carry the cache's validators: a 304 gives the cached body", async () => {
    nock(ORIGIN).get('/index').reply(200, 'kept body', { ETag: '"v1"' });
    const cache = cachingClient(client().http, tmp.dir);
    await cache.get(`${ORIGIN}/index`);
    await cache.settled();
    nock(ORIGIN, { reqheaders: { 'if-none-match': '"v1"', 'user-agent': USER_AGENT } })
      .get('/index')
      .reply(304, '');
    const firstRequests = sendFirstRequests([`${ORIGIN}/index`], { userAgent: USER_AGENT, timeoutMs: 2000, maxBytes: 10_000, validators: (url) => cachedValidators(tmp.dir, url) });
    const run = cachingClient(createHttpClient({ userAgent: USER_AGENT, timeoutMs: 2000, maxBytes: 10_000, firstRequests }), tmp.dir);
    const answer = await run.get(`${ORIGIN}/index`);
    expect([answer.status, answer.fromCache, answer.body.toString()]).to.deep.equal([304, true, 'kept body']);
    expect(nock.pendingMocks()).to.deep.equal([]);
  });

  it('are not taken when the client asks with other validators: it asks with its own', async () => {
    const validators: (string | undefined)[] = [];
    nock(ORIGIN)
      .get('/index')
      .times(2)
      .optionally()
      .reply(function () {
        const sent = this.req.headers['if-none-match'] as string | undefined;
        validators.push(sent);
        return sent ? [304, ''] : [200, 'whole page'];
      });
    const { http } = client({}, [`${ORIGIN}/index`]);
    expect((await http.get(`${ORIGIN}/index`, { ifNoneMatch: '"v2"' })).status).to.equal(304);
    expect(validators).to.include('"v2"');
  });

  it('leave a redirect to axios, which follows it', async () => {
    nock(ORIGIN).get('/old').times(2).reply(301, '', { Location: `${ORIGIN}/new` });
    nock(ORIGIN).get('/new').reply(200, 'moved here');
    const { http } = client({}, [`${ORIGIN}/old`]);
    expect((await http.get(`${ORIGIN}/old`)).body.toString()).to.equal('moved here');
    expect(nock.pendingMocks()).to.deep.equal([]);
  });

  it('leave a URL axios would send through a proxy (named in the environment) to the client: none is sent', async () => {
    const env = { HTTPS_PROXY: 'http://proxy.test:3128' };
    const firstRequests = sendFirstRequests([`${ORIGIN}/index`, 'https://secure.test/index'], { userAgent: USER_AGENT, timeoutMs: 2000, maxBytes: 10_000, validators: () => ({}), env });
    const asked: string[] = [];
    nock(ORIGIN)
      .get('/index')
      .reply(function (uri) {
        asked.push(`${ORIGIN}${uri}`);
        return [200, 'direct'];
      });
    // The https URL was not sent (nock would refuse it: no answer is staged); the http one was.
    expect(await firstRequests.take('https://secure.test/index', requestHeaders(USER_AGENT, {}))).to.equal(undefined);
    expect((await firstRequests.take(`${ORIGIN}/index`, requestHeaders(USER_AGENT, {})))?.body.toString()).to.equal('direct');
    expect(asked).to.deep.equal([`${ORIGIN}/index`]);
  });

  it('abandon() ends the requests nobody took, on a server that never answers', async () => {
    const closed: Promise<void>[] = [];
    const server = http.createServer(() => undefined); // never answers
    server.on('connection', (socket) => closed.push(new Promise((done) => socket.on('close', () => done()))));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    nock.enableNetConnect('127.0.0.1');
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const firstRequests = sendFirstRequests([`${origin}/index`, `${origin}/legend`], { userAgent: USER_AGENT, timeoutMs: 60_000, maxBytes: 10_000, validators: () => ({}) });
      while (closed.length < 2) await new Promise((r) => setTimeout(r, 5));
      firstRequests.abandon();
      await Promise.all(closed); // each connection closed (the test times out otherwise)
      // Abandoned, nothing is left to take: the client would ask itself.
      expect(await firstRequests.take(`${origin}/index`, {})).to.equal(undefined);
    } finally {
      server.close();
    }
  });
});
