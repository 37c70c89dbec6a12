-- CreateTable
CREATE TABLE "StorageCameraTotal" (
    "cameraKey" TEXT NOT NULL PRIMARY KEY,
    "events" BIGINT NOT NULL DEFAULT 0,
    "clipBytes" BIGINT NOT NULL DEFAULT 0,
    "photoBytes" BIGINT NOT NULL DEFAULT 0,
    "protectedBytes" BIGINT NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "StorageQuarterTotal" (
    "quarter" INTEGER NOT NULL,
    "cameraKey" TEXT NOT NULL,
    "events" BIGINT NOT NULL DEFAULT 0,
    "clipBytes" BIGINT NOT NULL DEFAULT 0,
    "photoBytes" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("quarter", "cameraKey")
);

-- Running totals (issue #18): the Storage page and retention read these instead of summing every Clip and Photo row
-- (seconds at 1,000,000 events). Every change goes through the triggers below, so the totals stay exact whoever
-- writes (Prisma, raw SQL, foreign-key actions). Each trigger adds a signed delta with an upsert. Hours are
-- CAST(strftime('%s', t) AS INTEGER) / 900 of the DateTime text (quarter-hours since 1970 UTC).
--
-- Order on an event's deletion: the BEFORE DELETE trigger takes the event's whole contribution (its clips and photo
-- included) out while they still exist; the cascade then deletes them after the event row is gone, when their own
-- triggers find no event (the SELECT ... FROM "Event" yields no row) and change nothing. Clips or a photo deleted
-- on their own (event still there) take their bytes out themselves.

-- Backfill: what the triggers would have written for the rows already there.
INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
SELECT k, SUM(n), SUM(cb), SUM(pb), SUM(pr) FROM (
  SELECT COALESCE(e."cameraId", '') AS k, 1 AS n, 0 AS cb, 0 AS pb, 0 AS pr FROM "Event" e
  UNION ALL SELECT COALESCE(e."cameraId", ''), 0, c."bytes", 0, CASE WHEN e."isProtected" THEN c."bytes" ELSE 0 END FROM "Clip" c JOIN "Event" e ON e."id" = c."eventId"
  UNION ALL SELECT COALESCE(e."cameraId", ''), 0, 0, p."bytes" + p."thumbBytes", CASE WHEN e."isProtected" THEN p."bytes" + p."thumbBytes" ELSE 0 END FROM "Photo" p JOIN "Event" e ON e."id" = p."eventId"
) GROUP BY k;

INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
SELECT q, k, SUM(n), SUM(cb), SUM(pb) FROM (
  SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900 AS q, COALESCE(e."cameraId", '') AS k, 1 AS n, 0 AS cb, 0 AS pb FROM "Event" e
  UNION ALL SELECT CAST(strftime('%s', c."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, c."bytes", 0 FROM "Clip" c JOIN "Event" e ON e."id" = c."eventId"
  UNION ALL SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, 0, p."bytes" + p."thumbBytes" FROM "Photo" p JOIN "Event" e ON e."id" = p."eventId"
) GROUP BY q, k;

CREATE TRIGGER "Event_totals_insert" AFTER INSERT ON "Event" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(NEW."cameraId", ''), 1, 0, 0, 0 WHERE true
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', NEW."startedAt") AS INTEGER) / 900, COALESCE(NEW."cameraId", ''), 1, 0, 0 WHERE true
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Event_totals_delete" BEFORE DELETE ON "Event" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(OLD."cameraId", ''), -1, -(SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = OLD."id"), -(SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = OLD."id"),
      CASE WHEN OLD."isProtected" THEN -((SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = OLD."id") + (SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = OLD."id")) ELSE 0 END WHERE true
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', OLD."startedAt") AS INTEGER) / 900, COALESCE(OLD."cameraId", ''), -1, 0, -(SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = OLD."id") WHERE true
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', "startedAt") AS INTEGER) / 900, COALESCE(OLD."cameraId", ''), 0, -SUM("bytes"), 0 FROM "Clip" WHERE "eventId" = OLD."id" GROUP BY 1
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

-- A camera deleted with its recordings kept (cameraId set null), protect/unprotect, a corrected start: the event's
-- contribution moves from its old key, quarter-hour and protection to the new ones (its clips and photo with it).
CREATE TRIGGER "Event_totals_update" AFTER UPDATE OF "cameraId", "startedAt", "isProtected" ON "Event"
WHEN OLD."cameraId" IS NOT NEW."cameraId" OR OLD."startedAt" IS NOT NEW."startedAt" OR OLD."isProtected" IS NOT NEW."isProtected" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(OLD."cameraId", ''), -1, -(SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = NEW."id"), -(SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id"),
      CASE WHEN OLD."isProtected" THEN -((SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = NEW."id") + (SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id")) ELSE 0 END WHERE true
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', OLD."startedAt") AS INTEGER) / 900, COALESCE(OLD."cameraId", ''), -1, 0, -(SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id") WHERE true
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', "startedAt") AS INTEGER) / 900, COALESCE(OLD."cameraId", ''), 0, -SUM("bytes"), 0 FROM "Clip" WHERE "eventId" = NEW."id" GROUP BY 1
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(NEW."cameraId", ''), 1, (SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = NEW."id"), (SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id"),
      CASE WHEN NEW."isProtected" THEN ((SELECT COALESCE(SUM("bytes"), 0) FROM "Clip" WHERE "eventId" = NEW."id") + (SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id")) ELSE 0 END WHERE true
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', NEW."startedAt") AS INTEGER) / 900, COALESCE(NEW."cameraId", ''), 1, 0, (SELECT COALESCE(SUM("bytes" + "thumbBytes"), 0) FROM "Photo" WHERE "eventId" = NEW."id") WHERE true
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', "startedAt") AS INTEGER) / 900, COALESCE(NEW."cameraId", ''), 0, SUM("bytes"), 0 FROM "Clip" WHERE "eventId" = NEW."id" GROUP BY 1
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Clip_totals_insert" AFTER INSERT ON "Clip" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, NEW."bytes", 0, CASE WHEN e."isProtected" THEN NEW."bytes" ELSE 0 END FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', NEW."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, NEW."bytes", 0 FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Clip_totals_delete" AFTER DELETE ON "Clip" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, -OLD."bytes", 0, CASE WHEN e."isProtected" THEN -OLD."bytes" ELSE 0 END FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', OLD."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, -OLD."bytes", 0 FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

-- A clip's bytes grow while it records.
CREATE TRIGGER "Clip_totals_update" AFTER UPDATE OF "bytes", "startedAt", "eventId" ON "Clip"
WHEN OLD."bytes" IS NOT NEW."bytes" OR OLD."startedAt" IS NOT NEW."startedAt" OR OLD."eventId" IS NOT NEW."eventId" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, -OLD."bytes", 0, CASE WHEN e."isProtected" THEN -OLD."bytes" ELSE 0 END FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', OLD."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, -OLD."bytes", 0 FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, NEW."bytes", 0, CASE WHEN e."isProtected" THEN NEW."bytes" ELSE 0 END FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', NEW."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, NEW."bytes", 0 FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Photo_totals_insert" AFTER INSERT ON "Photo" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, 0, (NEW."bytes" + NEW."thumbBytes"), CASE WHEN e."isProtected" THEN (NEW."bytes" + NEW."thumbBytes") ELSE 0 END FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, 0, (NEW."bytes" + NEW."thumbBytes") FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Photo_totals_delete" AFTER DELETE ON "Photo" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, 0, -(OLD."bytes" + OLD."thumbBytes"), CASE WHEN e."isProtected" THEN -(OLD."bytes" + OLD."thumbBytes") ELSE 0 END FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, 0, -(OLD."bytes" + OLD."thumbBytes") FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

CREATE TRIGGER "Photo_totals_update" AFTER UPDATE OF "bytes", "thumbBytes", "eventId" ON "Photo"
WHEN OLD."bytes" IS NOT NEW."bytes" OR OLD."thumbBytes" IS NOT NEW."thumbBytes" OR OLD."eventId" IS NOT NEW."eventId" BEGIN
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, 0, -(OLD."bytes" + OLD."thumbBytes"), CASE WHEN e."isProtected" THEN -(OLD."bytes" + OLD."thumbBytes") ELSE 0 END FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, 0, -(OLD."bytes" + OLD."thumbBytes") FROM "Event" e WHERE e."id" = OLD."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
  INSERT INTO "StorageCameraTotal" ("cameraKey", "events", "clipBytes", "photoBytes", "protectedBytes")
    SELECT COALESCE(e."cameraId", ''), 0, 0, (NEW."bytes" + NEW."thumbBytes"), CASE WHEN e."isProtected" THEN (NEW."bytes" + NEW."thumbBytes") ELSE 0 END FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes", "protectedBytes" = "protectedBytes" + excluded."protectedBytes";
  INSERT INTO "StorageQuarterTotal" ("quarter", "cameraKey", "events", "clipBytes", "photoBytes")
    SELECT CAST(strftime('%s', e."startedAt") AS INTEGER) / 900, COALESCE(e."cameraId", ''), 0, 0, (NEW."bytes" + NEW."thumbBytes") FROM "Event" e WHERE e."id" = NEW."eventId"
    ON CONFLICT ("quarter", "cameraKey") DO UPDATE SET "events" = "events" + excluded."events", "clipBytes" = "clipBytes" + excluded."clipBytes",
      "photoBytes" = "photoBytes" + excluded."photoBytes";
END;

