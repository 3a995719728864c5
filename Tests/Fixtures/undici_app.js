// SPDX-License-Identifier: Apache-2.0
// A Node app that calls its API through token-proxy with undici's ProxyAgent, the usual way
// Node apps use a proxy: it opens a CONNECT tunnel for https:// and for http:// URLs alike.
// It trusts the intercept CA through NODE_EXTRA_CA_CERTS, as its users would.
//
//   NODE_PATH=/usr/share/nodejs NODE_EXTRA_CA_CERTS=ca.pem node undici_app.js PROXY URL COUNT [parallel]
//
// Sends GET URL COUNT times, in turn over one kept-alive tunnel, or with "parallel" all at once,
// each on a tunnel of its own. Prints one line per response, in the order sent:
// "<status> <body as Base64>". A failure ends it with exit status 1 and the error on stderr.
'use strict'
const { ProxyAgent, request } = require('undici')

async function main () {
  const [proxy, url, countText, mode] = process.argv.slice(2)
  const count = Number(countText)
  const parallel = mode === 'parallel'
  // A connection per request when parallel; undici otherwise keeps one alive and reuses it.
  const dispatcher = new ProxyAgent({ uri: proxy, connections: parallel ? count : 1 })
  const send = async () => {
    const { statusCode, body } = await request(url, { dispatcher })
    return `${statusCode} ${Buffer.from(await body.arrayBuffer()).toString('base64')}`
  }
  const lines = []
  if (parallel) {
    lines.push(...await Promise.all(Array.from({ length: count }, send)))
  } else {
    for (let index = 0; index < count; index++) lines.push(await send())
  }
  console.log(lines.join('\n'))
  await dispatcher.close()
}

main().catch((error) => {
  console.error(`request failed: ${error.stack || error}${error.cause ? `\ncause: ${error.cause}` : ''}`)
  process.exit(1)
})
