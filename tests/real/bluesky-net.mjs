// Loopback AT Protocol network for tactful's adapter tests, started by bluesky-up.sh.
//
// Runs @atproto/dev-env's TestNetwork (PLC 2582, PDS 2583, AppView 2584, Ozone 2587; every
// listener forced onto 127.0.0.1), keeps the AppView indexing by calling processAll() every
// 500 ms, seeds a small conversation through the PDS's public XRPC API, and then writes the
// facts to $BSKY_STATE/env (shell-sourceable). It runs until it gets SIGTERM or SIGINT.
//
// Environment: ATPROTO_DIR (folder whose node_modules holds @atproto/dev-env), BSKY_STATE,
// DB_POSTGRES_URL, REDIS_HOST (host:port). TMPDIR should point into the state folder.

import dns from 'node:dns'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'

const HOST = '127.0.0.1'
const PORTS = { plc: 2582, pds: 2583, appview: 2584, ozone: 2587 }
const PDS = `http://${HOST}:${PORTS.pds}`
const APPVIEW = `http://${HOST}:${PORTS.appview}`
const t0 = Date.now()
const log = (...a) => console.log(`[bluesky-net +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a)

// --- Loopback only -----------------------------------------------------------------------
// Every server the dev-env starts (PLC, both PDSes, AppView and its dataplane, bsync, Ozone)
// listens through net.Server#listen; pin each one to 127.0.0.1 whatever it asked for.
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const a0 = args[0]
  if (a0 !== null && typeof a0 === 'object' && !(a0 instanceof net.Server) &&
      a0.path === undefined && a0.fd === undefined && a0._handle === undefined) {
    args[0] = { ...a0, host: HOST }
  } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    const rest = args.slice(1)
    if (typeof rest[0] === 'string' || rest[0] === undefined || rest[0] === null) rest.shift()
    const backlog = typeof rest[0] === 'number' ? rest.shift() : undefined
    const opts = { port: Number(a0), host: HOST }
    if (backlog !== undefined) opts.backlog = backlog
    args = [opts, ...rest.filter((x) => typeof x === 'function')]
  } else if (a0 === undefined || typeof a0 === 'function') {
    args = [{ port: 0, host: HOST }, ...args]
  }
  return origListen.apply(this, args)
}
// The services call each other at http://localhost:PORT; resolve that to 127.0.0.1 first.
dns.setDefaultResultOrder('ipv4first')

const need = (name) => {
  const v = process.env[name]
  if (!v) { console.error(`bluesky-net: ${name} is not set`); process.exit(2) }
  return v
}
const STATE = need('BSKY_STATE')
const ATPROTO_DIR = need('ATPROTO_DIR')
need('DB_POSTGRES_URL')
need('REDIS_HOST')

const devEnv = await import(pathToFileURL(
  path.join(ATPROTO_DIR, 'node_modules', '@atproto', 'dev-env', 'dist', 'index.js')).href)

// --- Start the network -------------------------------------------------------------------
let network
let stopping = false
const shutdown = async (sig) => {
  if (stopping) return
  stopping = true
  log(`${sig}: stopping`)
  const force = setTimeout(() => process.exit(0), 5000)
  force.unref()
  try { if (network) await network.close() } catch (e) { /* exiting anyway */ }
  process.exit(0)
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))

log('starting TestNetwork')
network = await devEnv.TestNetwork.create({
  dbPostgresSchema: 'tactful',
  pds: { port: PORTS.pds, hostname: 'localhost', enableDidDocWithSession: true },
  bsky: { dbPostgresSchema: 'bsky', port: PORTS.appview, publicUrl: `http://localhost:${PORTS.appview}` },
  plc: { port: PORTS.plc },
  ozone: {
    port: PORTS.ozone,
    chatUrl: 'http://localhost:2590', // no chat service; nothing here calls it
    chatDid: 'did:example:chat',
    dbMaterializedViewRefreshIntervalMs: 30_000,
  },
})
log(`network up: PLC ${network.plc.url} PDS ${network.pds.url} AppView ${network.bsky.url} Ozone ${network.ozone.url}`)

// The AppView indexes new records only when processAll() runs; one run at a time.
let chain = Promise.resolve()
const processAll = () => {
  chain = chain.then(() => network.processAll(10_000)).catch((e) => {
    if (!stopping) log('processAll:', e?.message ?? e)
  })
  return chain
}
// Skip the work when the PDS has sequenced nothing new (a full pass costs ~20% of a core),
// but still run a full pass every 5 s for anything else that queued up.
let lastSeq = -1
let lastFull = 0
let ticking = false
const tick = async () => {
  if (stopping || ticking) return
  ticking = true
  try {
    const seq = (await network.pds.ctx.sequencer.curr()) ?? 0
    if (seq !== lastSeq || Date.now() - lastFull >= 5000) {
      await processAll()
      lastSeq = seq
      lastFull = Date.now()
    }
  } catch (e) {
    if (!stopping) log('tick:', e?.message ?? e)
  } finally {
    ticking = false
  }
}
const ticker = setInterval(tick, Number(process.env.BSKY_PROCESS_MS || 500))
ticker.unref()
// keep the event loop alive until a signal arrives
setInterval(() => {}, 1 << 30)

// --- XRPC helpers (plain HTTP, as the C adapter will do it) ------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function xrpc (base, nsid, { token, params, body } = {}) {
  const url = new URL(`/xrpc/${nsid}`, base)
  for (const [k, v] of Object.entries(params ?? {})) {
    for (const one of [].concat(v)) url.searchParams.append(k, String(one))
  }
  const headers = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, {
    method: body !== undefined ? 'POST' : 'GET',
    headers,
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  let json
  try { json = text ? JSON.parse(text) : {} } catch { json = { raw: text } }
  if (!res.ok) {
    const err = new Error(`${nsid} -> HTTP ${res.status} ${text.slice(0, 300)}`)
    err.status = res.status
    throw err
  }
  return json
}

const pw = () => randomBytes(12).toString('base64url')
async function account (handle, displayName) {
  const password = pw()
  const email = `${handle.split('.')[0]}@northmoor.test`
  const s = await xrpc(PDS, 'com.atproto.server.createAccount', { body: { handle, email, password } })
  await xrpc(PDS, 'com.atproto.repo.putRecord', {
    token: s.accessJwt,
    body: {
      repo: s.did, collection: 'app.bsky.actor.profile', rkey: 'self',
      record: { $type: 'app.bsky.actor.profile', displayName },
    },
  })
  return { handle, did: s.did, password, token: s.accessJwt }
}

let clock = Date.now() - 6 * 3600 * 1000 // createdAt a few hours ago, a minute apart
const nextCreatedAt = () => { clock += 60_000; return new Date(clock).toISOString() }

// text with @handle mentions turned into facets (UTF-8 byte offsets)
function withMentions (text, dids) {
  const facets = []
  for (const [handle, did] of Object.entries(dids)) {
    const needle = `@${handle}`
    let from = 0
    for (;;) {
      const i = text.indexOf(needle, from)
      if (i < 0) break
      const byteStart = Buffer.byteLength(text.slice(0, i), 'utf8')
      facets.push({
        index: { byteStart, byteEnd: byteStart + Buffer.byteLength(needle, 'utf8') },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
      })
      from = i + needle.length
    }
  }
  return facets
}

async function post (who, text, { parent, root, mentions = {} } = {}) {
  const record = { $type: 'app.bsky.feed.post', text, createdAt: nextCreatedAt(), langs: ['en'] }
  const facets = withMentions(text, mentions)
  if (facets.length) record.facets = facets
  if (parent) record.reply = { root: root ?? parent, parent }
  const r = await xrpc(PDS, 'com.atproto.repo.createRecord', {
    token: who.token,
    body: { repo: who.did, collection: 'app.bsky.feed.post', record },
  })
  return { uri: r.uri, cid: r.cid }
}

async function until (what, fn, ms = 60_000) {
  const end = Date.now() + ms
  for (;;) {
    try { if (await fn()) return } catch (e) { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}
// A reply indexed in the same batch as its parent can lose its notification: wait until
// the AppView shows each parent before replying to it.
const visible = (ref) => until(`${ref.uri} in the AppView`, async () => {
  const r = await xrpc(APPVIEW, 'app.bsky.feed.getPosts', { params: { uris: ref.uri } })
  return r.posts?.length === 1
})

// --- Seed ----------------------------------------------------------------------------------
log('seeding')
const council = await account('council.test', 'Northmoor Borough Council')
const alice = await account('alice.test', 'Alice Brontë')
const bob = await account('bob.test', 'Bob Okafor')
const appPw = await xrpc(PDS, 'com.atproto.server.createAppPassword', {
  token: council.token, body: { name: 'tactful' },
})
const aliceAppPw = await xrpc(PDS, 'com.atproto.server.createAppPassword', {
  token: alice.token, body: { name: 'tactful' },
})
const dids = { 'council.test': council.did, 'alice.test': alice.did, 'bob.test': bob.did }

await xrpc(PDS, 'com.atproto.repo.createRecord', {
  token: alice.token,
  body: {
    repo: alice.did, collection: 'app.bsky.graph.follow',
    record: { $type: 'app.bsky.graph.follow', subject: council.did, createdAt: nextCreatedAt() },
  },
})

// Thread 1: alice mentions the council; replies nest five deep.
const root = await post(alice,
  '@council.test the gritter skipped Mill Lane again this morning ❄️ — it is like glass by the café.',
  { mentions: dids })
await visible(root)
const r1 = await post(council,
  'Thanks Alice, sorry about that. Mill Lane is a priority 1 route; we have asked the depot to check.',
  { parent: root, root })
await visible(r1)
const r2 = await post(bob, 'Same on Station Road. Is there a map of the routes?', { parent: r1, root })
await visible(r2)
const r3 = await post(council,
  'Hi Bob, the map is on our winter page. Station Road is treated from 6am on frost nights.',
  { parent: r2, root })
await visible(r3)
const r4 = await post(alice, 'Thank you both! The gritter just went past 🙌', { parent: r3, root })
// a second branch under the root that mentions the council (non-ASCII on purpose)
const r5 = await post(bob, '@council.test Kirchstraße was fine by 7 — Grüße from Brontë Court',
  { parent: root, root, mentions: dids })

// Thread 2: an unanswered question mentioning the council.
const root2 = await post(bob, 'Hey @council.test, are bin collections moving over Christmas?',
  { mentions: dids })
await visible(r4)
await visible(r5)
await visible(root2)

// Wait until the council's notifications (through its PDS, as a client reads them) show
// every mention and reply, so a test that starts now sees the whole seed.
let notes = []
await until('council notifications', async () => {
  const r = await xrpc(PDS, 'app.bsky.notification.listNotifications', {
    token: council.token, params: { limit: 50 },
  })
  notes = r.notifications ?? []
  const n = notes.filter((x) => x.reason === 'mention' || x.reason === 'reply').length
  return n >= 5
})
log(`seeded: ${notes.length} notifications for council.test: ${notes.map((n) => n.reason).join(',')}`)

// --- Facts for the tests ---------------------------------------------------------------------
const q = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`
const facts = {
  BSKY_PDS: PDS,
  BSKY_APPVIEW: APPVIEW,
  BSKY_PLC: `http://${HOST}:${PORTS.plc}`,
  BSKY_OZONE: `http://${HOST}:${PORTS.ozone}`,
  BSKY_PDS_PUBLIC_URL: network.pds.url, // what DID documents and sessions name (localhost)
  BSKY_APPVIEW_DID: network.bsky.ctx.cfg.serverDid,
  BSKY_HANDLE: council.handle,
  BSKY_DID: council.did,
  BSKY_PASSWORD: council.password,
  BSKY_APP_PASSWORD: appPw.password,
  BSKY_ROOT_URI: root.uri,
  BSKY_ROOT_CID: root.cid,
  BSKY_THREAD_URIS: [root, r1, r2, r3, r4].map((x) => x.uri).join(' '),
  BSKY_COUNCIL_REPLY_URI: r1.uri,
  BSKY_COUNCIL_REPLY_CID: r1.cid,
  BSKY_BOB_REPLY_URI: r2.uri,
  BSKY_BOB_REPLY_CID: r2.cid,
  BSKY_DEEPEST_URI: r4.uri,
  BSKY_DEEPEST_CID: r4.cid,
  BSKY_MENTION_REPLY_URI: r5.uri,
  BSKY_MENTION_REPLY_CID: r5.cid,
  BSKY_SECOND_ROOT_URI: root2.uri,
  BSKY_SECOND_ROOT_CID: root2.cid,
  BSKY_ALICE_HANDLE: alice.handle,
  BSKY_ALICE_DID: alice.did,
  BSKY_ALICE_PASSWORD: alice.password,
  BSKY_ALICE_APP_PASSWORD: aliceAppPw.password,
  BSKY_BOB_HANDLE: bob.handle,
  BSKY_BOB_DID: bob.did,
  BSKY_BOB_PASSWORD: bob.password,
  BSKY_LAUNCHER_PID: process.pid,
  BSKY_STATE: STATE,
}
const lines = ['# tactful real Bluesky test network (tests/real/bluesky-up.sh); source with: . FILE']
for (const [k, v] of Object.entries(facts)) lines.push(`${k}=${q(v)}`)
fs.writeFileSync(path.join(STATE, 'env.new'), lines.join('\n') + '\n')
fs.renameSync(path.join(STATE, 'env.new'), path.join(STATE, 'env'))
log(`ready: wrote ${path.join(STATE, 'env')}`)
