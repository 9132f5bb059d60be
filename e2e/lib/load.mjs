// A concurrent screening load: `workers` loops POST /v1/screen for as long as the browser
// flow runs. Every answer must be 200 and identical (same entities, same scores, same
// explanation of the best hit) to the answer the same query got before the load started,
// so a race, a mixed-up response or a torn lists snapshot is caught, not only a 5xx.

const QUERIES = [
  { name: 'Abu Bakr al-Baghdadi', expect: 'un:QDi.299' },
  { name: 'أبو بكر البغدادي', expect: 'un:QDi.299' },
  { name: 'BAGHDADI, Abu Bakr', schema: 'Person' },
  { name: 'Usama bin Ladin' },
  { name: 'Al-Qaida in Iraq', schema: 'Organization' },
  { name: 'Jane Quiet Example-Smith', birth_date: '1990-01-02' },
];

function fingerprint(res) {
  return JSON.stringify((res.matches || []).map((m) => [m.entity_id, m.score, m.match, m.name])) +
    JSON.stringify(res.matches?.[0]?.explanation ?? null);
}

export class ScreeningLoad {
  constructor(server, key, workers = 8) {
    this.server = server;
    this.key = key;
    this.workers = workers;
    this.ok = 0;
    this.failures = [];
    this.running = false;
    this.baseline = new Map();
  }

  async screen(q) {
    const { expect: _e, ...body } = q;
    return this.server.api(this.key, 'POST', '/v1/screen', body);
  }

  async prepare() {
    for (const q of QUERIES) {
      const r = await this.screen(q);
      if (r.status !== 200) throw new Error(`baseline screening of ${q.name} answered ${r.status}: ${r.text}`);
      if (q.expect && !r.json.matches.some((m) => m.entity_id === q.expect && m.match)) {
        throw new Error(`baseline screening of ${q.name} does not find ${q.expect}`);
      }
      this.baseline.set(q.name, fingerprint(r.json));
    }
  }

  start() {
    this.running = true;
    this.loops = Array.from({ length: this.workers }, (_, w) => this.loop(w));
  }

  async loop(w) {
    let i = w;
    while (this.running) {
      const q = QUERIES[i++ % QUERIES.length];
      try {
        const r = await this.screen(q);
        if (r.status !== 200) this.failures.push(`${q.name}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        else if (r.json.query?.name !== q.name) this.failures.push(`${q.name}: answer is for ${r.json.query?.name}`);
        else if (fingerprint(r.json) !== this.baseline.get(q.name)) this.failures.push(`${q.name}: answer differs from the baseline`);
        else this.ok++;
      } catch (e) {
        if (this.running) this.failures.push(`${q.name}: ${e.message}`);
      }
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops || []);
  }
}
