// The network floor: a plain client that fetches exactly the URLs orar-cal
// fetches, with the same concurrency cap, and does nothing else. The index,
// legend and academic page go out together; the pages, once the index is in
// (a real client cannot know them earlier).
//
//   node dist/bench/floor.js CONCURRENCY INDEX_URL LEGEND_URL CALENDAR_URL PAGE_URL...
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true });

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function withCap(urls: string[], cap: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) await get(urls[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(cap, urls.length) }, worker));
}

const [cap, index, legend, calendar, ...pages] = process.argv.slice(2);
const started = performance.now();
// Same order as orar-cal: index, academic page, legend.
await Promise.all([get(index!).then(() => withCap(pages, Number(cap))), get(calendar!), get(legend!)]);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, pages: pages.length })}\n`);
agent.destroy();
