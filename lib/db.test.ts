import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { createTestDb, type TestDb } from "./testing/db";

describe("database transactions across processes", () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => t.cleanup());

  test("a $transaction holds the write lock from BEGIN: another writer waits, our read-then-write never fails", async () => {
    const other = new Database(t.file, { timeout: 0 }); // another process's connection that does not wait
    try {
      let otherError = "";
      await t.db.$transaction(async (tx) => {
        await tx.household.findMany(); // a read first
        try {
          other.prepare("INSERT INTO Household (id, name) VALUES (1, 'elsewhere')").run();
        } catch (err) {
          otherError = (err as { code?: string }).code ?? String(err);
        }
        await tx.household.create({ data: { id: 1, name: "ours" } }); // then a write: no SQLITE_BUSY_SNAPSHOT
      });
      assert.equal(otherError, "SQLITE_BUSY", "the other connection could not write inside our transaction");
      assert.equal((await t.db.household.findUnique({ where: { id: 1 } }))?.name, "ours");
    } finally {
      other.close();
    }
  });

});
