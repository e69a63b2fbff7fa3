// Segment's official Node.js library (@segment/analytics-node) sending a scenario to
// leadrank's Segment intake: node send.mjs HOST WRITE_KEY TAG BASE_EPOCH. The same scenario as
// send.py. analytics-node joins `path` to the host's origin, so the path names the intake.
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, tag, base] = process.argv.slice(2)
const errors = []
const analytics = new Analytics({ writeKey, host, path: '/segment/v1/batch', flushInterval: 50, maxRetries: 1 })
analytics.on('error', (e) => errors.push(String(e?.reason ?? e?.message ?? e)))
const at = (hours) => new Date((Number(base) - hours * 3600) * 1000)
const send = (method, msg) => new Promise((resolve) => analytics[method](msg, (err) => { if (err) errors.push(String(err)); resolve() }))

async function history (who) {
  await send('page', { ...who, name: 'Pricing', properties: { url: 'https://example.com/pricing', path: '/pricing' }, timestamp: at(30) })
  await send('page', { ...who, name: 'Enterprise', properties: { url: 'https://example.com/pricing/enterprise' }, timestamp: at(29) })
  await send('track', { ...who, event: 'Demo Requested', properties: { plan: 'enterprise' }, timestamp: at(28) })
  await send('track', { ...who, event: 'Feature Used', properties: { feature: 'export' }, timestamp: at(27) })
}

// Each person at a company of their own, so that neither counts in the other's score.
const traits = (who) => ({ email: `ada@${who}.example.org`, firstName: who, title: 'VP Engineering', company: { name: `${who} Inc`, employee_count: 1200 }, website: `https://www.${who}.example.org` })
await send('identify', { userId: `${tag}-ref`, traits: traits(`${tag}-ref`), timestamp: at(26) })
await history({ userId: `${tag}-ref` })
await history({ anonymousId: `${tag}-anon` })
await send('identify', { userId: `${tag}-user`, anonymousId: `${tag}-anon`, traits: traits(`${tag}-user`), timestamp: at(26) })
await send('group', { userId: `${tag}-user`, groupId: `${tag}-acct`, traits: { name: `${tag}-user Inc`, website: `${tag}-user.example.org` } })
await analytics.closeAndFlush()
if (errors.length) {
  console.error(errors.join('\n'))
  process.exit(1)
}
console.log('sent')
