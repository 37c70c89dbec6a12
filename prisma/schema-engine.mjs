#!/usr/bin/env node
// Offline schema engine for the Prisma CLI (SQLite only). prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here,
// so `prisma generate`, `migrate dev|deploy|status|reset` and `db push` work with no download and no internet.
// It speaks the native engine's protocol (line-delimited JSON-RPC 2.0 on stdio, plus the `cli <command>` mode)
// and forwards each call to the official WebAssembly engine (@prisma/schema-engine-wasm, pinned to the hash that
// prisma 7.10.0 expects), which reaches SQLite through @prisma/adapter-better-sqlite3.
// Where the wasm engine behaves differently from the native one, the difference is patched below (marked GAP).
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Writes one log line in the native engine's JSON format to stderr (the CLI parses these). */
function logLine(level, message, fields = {}) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target: 'schema_engine::logger' }
  process.stderr.write(JSON.stringify(line) + '\n')
}

async function loadEngine() {
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
  const glue = await import(glueUrl)
  const wasm = new WebAssembly.Module(fs.readFileSync(new URL('./schema_engine_bg.wasm', glueUrl)))
  const instance = new WebAssembly.Instance(wasm, { './schema_engine_bg.js': glue })
  glue.__wbg_set_wasm(instance.exports)
  instance.exports.__wbindgen_start()
  return glue
}

/** "file:./x.db?opts" → absolute path (relative to the CLI's working directory, the project root). */
function fileOf(url) {
  if (typeof url !== 'string' || !url.startsWith('file:')) throw new Error(`only SQLite file: URLs are supported, got ${url}`)
  const p = url.slice('file:'.length).split('?')[0]
  return p === ':memory:' ? p : path.resolve(process.cwd(), p)
}

function touchDatabase(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const Database = require('better-sqlite3')
  new Database(file).close()
}

// ---------- command line (same flags as the native binary) ----------
const args = process.argv.slice(2)
const datamodelPaths = []
let datasource = null
let cliCommand = null
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  if (a === '--version' || a === '-V') {
    process.stdout.write(`schema-engine-cli ${(await loadEngine()).version()}\n`)
    process.exit(0)
  }
  if (a === '--datamodels' || a === '-d') datamodelPaths.push(args[++i])
  else if (a === '--datasource') datasource = JSON.parse(args[++i])
  else if (a === '--enabled-preview-features' || a === '--extension-types') i++
  else if (a === 'cli') { cliCommand = args[++i]; break }
}

if (cliCommand) {
  // The CLI drops the first stderr line of this mode, so say something harmless first.
  logLine('INFO', `offline schema engine: cli ${cliCommand}`)
  const file = fileOf(datasource?.url)
  if (cliCommand === 'can-connect-to-database') {
    if (file !== ':memory:' && !fs.existsSync(file)) {
      logLine('ERROR', `Database \`${path.basename(file)}\` does not exist at \`${file}\``, { error_code: 'P1003' })
      process.exit(1)
    }
  } else if (cliCommand === 'create-database') touchDatabase(file)
  else if (cliCommand === 'drop-database') fs.rmSync(file, { force: true })
  else {
    logLine('ERROR', `unsupported cli command ${cliCommand}`, { error_code: 'P1000' })
    process.exit(1)
  }
  process.exit(0)
}

// ---------- JSON-RPC server ----------
const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3')
const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils')
const glue = await loadEngine()
const mainFile = datasource?.url ? fileOf(datasource.url) : ':memory:'
const shadowFile = datasource?.shadowDatabaseUrl ? fileOf(datasource.shadowDatabaseUrl) : undefined

const NO_ROWS = { columnNames: [], columnTypes: [], rows: [] }
const MIGRATIONS_COLUMNS = ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count']
const TEXT_COLUMN = 7
const openConnections = []
let mainConnection = null
let sawMissingMigrationsTable = false

const isScript = (err, query) => err instanceof RangeError && /more than one statement/.test(err.message) && !query.args?.length

function wrapConnection(conn) {
  openConnections.push(conn)
  // GAP 1: migrations replayed into the shadow database arrive as whole scripts; better-sqlite3's prepare() takes
  // one statement, so run those through exec().
  const executeRaw = conn.executeRaw.bind(conn)
  conn.executeRaw = async (query) => {
    try { return await executeRaw(query) } catch (err) {
      if (!isScript(err, query)) throw err
      await conn.executeScript(query.sql)
      return 0
    }
  }
  // GAP 2: the wasm engine reports a missing _prisma_migrations table as an error (P1014) where the native engine
  // treats the database as "not initialised". Answer that SELECT with no rows and report the table as missing.
  const queryRaw = conn.queryRaw.bind(conn)
  conn.queryRaw = async (query) => {
    try { return await queryRaw(query) } catch (err) {
      if (isScript(err, query)) { await conn.executeScript(query.sql); return NO_ROWS }
      const missingTable = err?.cause?.kind === 'TableDoesNotExist'
      if (missingTable && /^\s*SELECT[\s\S]*FROM\s+[`"]?_prisma_migrations\b/i.test(query.sql)) {
        sawMissingMigrationsTable = true
        return { columnNames: MIGRATIONS_COLUMNS, columnTypes: MIGRATIONS_COLUMNS.map(() => TEXT_COLUMN), rows: [] }
      }
      throw err
    }
  }
  return conn
}

const factory = new PrismaBetterSqlite3({ url: mainFile }, shadowFile ? { shadowDatabaseUrl: shadowFile } : undefined)
const adapter = bindMigrationAwareSqlAdapterFactory({
  provider: factory.provider,
  adapterName: factory.adapterName,
  connect: async () => (mainConnection = wrapConnection(await factory.connect())),
  connectToShadowDb: async () => wrapConnection(await factory.connectToShadowDb()),
})

// GAP 3: the wasm engine's reset only deletes rows; the native one empties the file (a DROP-based reset would leave
// sqlite_sequence behind and the next migrate would fail with P3005).
function emptyDatabase() {
  const Database = require('better-sqlite3')
  mainConnection.client.close()
  if (mainFile !== ':memory:') fs.writeFileSync(mainFile, '')
  mainConnection.client = new Database(mainFile)
  mainConnection.client.defaultSafeIntegers(true)
}

const datamodels = datamodelPaths.map((p) => [p, fs.readFileSync(p, 'utf8')])
const engine = await glue.SchemaEngine.new(
  { datamodels: datamodels.length ? datamodels : undefined },
  (message) => process.stderr.write(String(message).trimEnd() + '\n'),
  adapter,
)

const reply = (message) => process.stdout.write(JSON.stringify(message) + '\n')
const METHOD_NAMES = { getDatabaseVersion: 'version' }
let nextPrintId = 1_000_000_000

async function call(method, params) {
  if (method === 'createDatabase') {
    const file = fileOf(params?.datasource?.url ?? datasource?.url)
    touchDatabase(file)
    return { databaseName: path.basename(file) }
  }
  if (method === 'reset') { emptyDatabase(); return null }
  const name = METHOD_NAMES[method] ?? method
  if (typeof engine[name] !== 'function') throw Object.assign(new Error(`unknown method ${method}`), { code: 'P1000' })
  if (name === 'evaluateDataLoss' || name === 'createMigration') {
    // GAP 4: these need the shadow schema that only a diagnose run computes through an external adapter; run one first.
    await engine.diagnoseMigrationHistory({ migrationsList: params.migrationsList, optInToShadowDatabase: true, filters: params.filters }).catch(() => {})
    sawMissingMigrationsTable = false
  }
  let result = await engine[name](params) // must be called on `engine`: wasm-bindgen needs `this`
  if (name === 'diagnoseMigrationHistory' && sawMissingMigrationsTable) result.hasMigrationsTable = false
  if (name === 'diff' && result?.stdout) {
    // The native engine prints diff output through a `print` request to the CLI.
    reply({ jsonrpc: '2.0', id: nextPrintId++, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } })
    result = { exitCode: result.exitCode }
  }
  return result ?? null
}

async function handle({ id, method, params }) {
  sawMissingMigrationsTable = false
  try {
    reply({ jsonrpc: '2.0', id, result: await call(method, params) })
  } catch (err) {
    const isPanic = err?.name === 'RuntimeError' || /unreachable|panicked/i.test(String(err?.message))
    const message = String(err?.message ?? err).replace(/External error id#(\d+)/g, (whole, n) =>
      `${whole}: ${adapter.errorRegistry.consumeError(Number(n))?.error?.message ?? 'unknown'}`)
    reply({ jsonrpc: '2.0', id, error: { code: 4466, message: 'An error happened. Check the data field for details.',
      data: { is_panic: isPanic, message, meta: err?.meta ?? null, error_code: err?.code ?? null } } })
    if (isPanic) process.exit(101)
  }
}

// The CLI closes stdin and then sends SIGTERM: close SQLite cleanly either way (no stray -journal file).
function shutdown() {
  for (const conn of openConnections) { try { conn.dispose() } catch { /* already closed */ } }
  process.exit(0)
}
process.on('SIGTERM', shutdown)
let queue = Promise.resolve()
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
lines.on('line', (line) => {
  let message
  try { message = JSON.parse(line) } catch {
    if (line.trim()) logLine('ERROR', `invalid JSON-RPC line: ${line.slice(0, 200)}`)
    return
  }
  if (message.method) queue = queue.then(() => handle(message)) // replies to our `print` carry no method
})
lines.on('close', () => queue.then(shutdown))
