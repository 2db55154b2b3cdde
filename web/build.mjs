// Builds the browser classroom into static/, the directory the Go binary embeds
// (web/handler.go). Run from anywhere: `make web`, or `node web/build.mjs`.
//
//   node build.mjs           bundle app/ into static/ and record the source hash
//   node build.mjs --check   rebuild into a temporary directory and fail unless
//                            it is byte-for-byte what static/ holds
//
// Scripts, styles, the page and the wasm are also written gzipped (.gz), so the
// server compresses nothing at run time. static/build.json records a hash of
// every source file (see sourceFiles; the Go
// test TestBundleIsFresh recomputes it without Node) and the SHA-256 of every
// output, so a stale or hand-edited bundle fails `go test ./web/`.

import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = dirname(fileURLToPath(import.meta.url))
const automerge = join(root, 'client/node_modules/@automerge/automerge/dist')

/** Files copied into static/ as they are. */
const COPIED = ['index.html', 'app.css', 'icon.svg', 'manifest.webmanifest']
/** Outputs also written gzipped (name.gz), which the server sends as they are. */
const GZIPPED = /\.(js|css|html|wasm)$/

/**
 * Every file the bundle is built from, as paths relative to web/ with "/"
 * separators, sorted. web/sources.go lists the same set for the Go test.
 */
export async function sourceFiles() {
  const files = []
  async function walk(dir) {
    for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`
      if (e.isDirectory()) {
        if (rel !== 'app/test') await walk(rel)
      } else files.push(rel)
    }
  }
  await walk('app')
  for (const e of await readdir(join(root, 'client'), { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.js')) files.push(`client/${e.name}`)
  }
  files.push('build.mjs', 'package-lock.json', 'client/package-lock.json')
  return files.sort()
}

/** sha256 over "path\0sha256(content)\n" of every source file, hex. */
export async function sourceHash() {
  const h = createHash('sha256')
  for (const f of await sourceFiles()) {
    const content = await readFile(join(root, f))
    h.update(`${f}\0${createHash('sha256').update(content).digest('hex')}\n`)
  }
  return h.digest('hex')
}

async function build(outdir) {
  const hash = await sourceHash()
  const version = hash.slice(0, 12)
  await rm(outdir, { recursive: true, force: true })
  await mkdir(outdir, { recursive: true })
  const common = {
    bundle: true,
    format: 'esm',
    target: ['chrome100', 'safari15', 'firefox100'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // One Automerge for the app and the client: the slim entry, whose wasm the
    // page fetches as a file (main.js) instead of carrying it as base64.
    alias: { '@automerge/automerge': join(automerge, 'mjs/entrypoints/slim.js') },
    define: { __HOMEROOM_VERSION__: JSON.stringify(version) },
  }
  await esbuild.build({ ...common, entryPoints: [join(root, 'app/main.js')], outfile: join(outdir, 'app.js') })
  await esbuild.build({ ...common, format: 'iife', entryPoints: [join(root, 'app/sw.js')], outfile: join(outdir, 'sw.js') })
  await copyFile(join(automerge, 'mjs/wasm_bindgen_output/web/automerge_wasm_bg.wasm'), join(outdir, 'automerge.wasm'))
  for (const f of COPIED) await copyFile(join(root, 'app', f), join(outdir, f))
  for (const name of await readdir(outdir)) {
    if (GZIPPED.test(name)) await writeFile(join(outdir, `${name}.gz`), gzipSync(await readFile(join(outdir, name)), { level: 9 }))
  }

  const files = {}
  for (const name of (await readdir(outdir)).sort()) {
    files[name] = createHash('sha256').update(await readFile(join(outdir, name))).digest('hex')
  }
  const manifest = { sources: hash, version, files }
  await writeFile(join(outdir, 'build.json'), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}

async function check() {
  const tmp = await mkdtemp(join(tmpdir(), 'homeroom-web-'))
  try {
    const fresh = await build(tmp)
    const committed = JSON.parse(await readFile(join(root, 'static/build.json'), 'utf8'))
    const stale = []
    for (const [name, sum] of Object.entries(fresh.files)) if (committed.files[name] !== sum) stale.push(name)
    for (const name of Object.keys(committed.files)) if (!(name in fresh.files)) stale.push(name)
    if (committed.sources !== fresh.sources) stale.push('build.json (sources)')
    if (stale.length > 0) {
      console.error(`static/ is stale: ${stale.join(', ')} differ from a fresh build; run make web`)
      process.exit(1)
    }
    console.log(`static/ is fresh (sources ${fresh.version})`)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

if (process.argv.includes('--check')) {
  await check()
} else {
  const m = await build(join(root, 'static'))
  const out = relative(process.cwd(), join(root, 'static')) || '.'
  console.log(`built ${out}${sep} (sources ${m.version}): ${Object.keys(m.files).join(', ')}`)
}
