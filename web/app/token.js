// Where the page is and who the user is: the session from the path /s/{session},
// the join token from the fragment #token=… (a fragment never reaches the server,
// its logs or a Referer header), and the token's claims, read without checking the
// signature (the server checks it; the page only needs a name and a storage key).

/**
 * @param {{pathname: string, hash: string}} loc window.location or alike
 * @returns {{session: string, token: string}} empty strings when absent
 */
export function readLocation(loc) {
  const m = /^\/s\/([^/]+)\/?$/.exec(loc.pathname)
  let session = ''
  if (m) {
    try {
      session = decodeURIComponent(m[1])
    } catch {
      session = ''
    }
  }
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''))
  return { session, token: params.get('token') ?? '' }
}

/**
 * The claims of a JWT, unverified: {sub, name, exp, sid, ...}, or null if token is
 * not a readable JWT.
 * @param {string} token
 */
export function jwtClaims(token) {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/')
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
    const json = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
    const claims = JSON.parse(json)
    return claims && typeof claims === 'object' ? claims : null
  } catch {
    return null
  }
}

/**
 * A class link for a session and token: /s/{session}#token=….
 * @param {string} origin e.g. http://127.0.0.1:8080
 */
export function classLink(origin, session, token) {
  return `${origin}/s/${encodeURIComponent(session)}#token=${token}`
}
