const autocannon = require('/work/main/node_modules/autocannon');
const [,, path, kind] = process.argv;
let c = 0;
const body = () => kind === 'valid' ? JSON.stringify({ urls: [`http://prof.example.com/${c++}`], contentType: 'images' }) : kind === 'invalid' ? '{"urls":[]}' : undefined;
autocannon({ url: 'http://127.0.0.1:3905' + path, method: kind ? 'POST' : 'GET', headers: {'content-type':'application/json'}, duration: 5, connections: 50,
  requests: [{ setupRequest: (r) => ({ ...r, body: body() }) }] }, (e, r) => console.log(path, kind, Math.round(r.requests.total/r.duration), 'req/s p99', r.latency.p99));
